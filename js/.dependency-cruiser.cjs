// The front end's layers, checked as import-linter checks the Python package's (npm run layers; .ci/run):
//   core     engine, landscape sweep, lesson, link, formats: no DOM, importable by Node, no package from npm
//   figures  the plot, its panels, the landscape map and the one SVG export: may import core
//   ui       one DOM helper, the sliders, the controls, the tabs, the app shell: may import figures and core
//   hosts    the anywidget entry, the standalone page, the landscape worker, the connection banner: may import all
// A module imports only from its own layer or the layers below it, and nothing imports in a circle.
const LAYERS = ["core", "figures", "ui", "hosts"];

const upward = LAYERS.slice(0, -1).map((layer, i) => ({
  name: `${layer}-imports-only-below`,
  comment: `${layer} may import only ${LAYERS.slice(0, i).join(", ") || "itself"}: the layers run one way`,
  severity: "error",
  from: { path: `^src/${layer}/` },
  to: { path: `^src/(${LAYERS.slice(i + 1).join("|")})/` },
}));

module.exports = {
  forbidden: [
    ...upward,
    {
      name: "core-imports-no-package",
      comment: "core is plain JavaScript that Node runs as it is: no d3, no DOM, nothing from npm",
      severity: "error",
      from: { path: "^src/core/" },
      to: { dependencyTypes: ["npm", "npm-dev", "npm-optional", "npm-peer", "npm-no-pkg", "npm-unknown"] },
    },
    {
      name: "every-module-in-a-layer",
      comment: "a module of src/ lives in one of the four layers",
      severity: "error",
      from: { path: "^src/" },
      to: { path: "^src/", pathNot: `^src/(${LAYERS.join("|")})/` },
    },
    {
      name: "no-circular",
      comment: "no import cycle, as in the Python package",
      severity: "error",
      from: {},
      to: { circular: true },
    },
    {
      name: "no-unresolvable",
      comment: "every import resolves to a file or a package",
      severity: "error",
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    moduleSystems: ["es6"],
    tsPreCompilationDeps: false,
  },
};
