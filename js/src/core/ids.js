// Ids unique in the page, so that two apps in one notebook never share a clipPath, a gradient or a label's id.

let counter = 0;

/** "tj-<name>-<random>-<n>": unique among every app of the page, and among pages that share a document. */
export function uid(name) {
  counter += 1;
  return `tj-${name}-${Math.random().toString(36).slice(2, 8)}-${counter}`;
}
