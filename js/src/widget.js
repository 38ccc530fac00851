// The front end's entry point; for now it only carries the engine into the bundle.
export * from "./engine.js";
export default {};
