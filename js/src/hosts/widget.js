// The anywidget entry point: the app hosted by a kernel (JupyterLab, Voila), by anywidget's contract. The model's
// state is Python's (trajectories/app.py): config, lesson, notes, link_base.
// initialize (once per model): watch the kernel and the server, whatever the views; render (once per view): the
// app, and the banner when the kernel or the server is gone. The default export is a function, which anywidget
// calls once per model: its closure is what the model's views share (anywidget hands each call its own proxy of the
// model, so nothing can be keyed by the model object).
// The same module is a MyST {anywidget} (hosts/myst.js): MyST does not call the function, it reads `initialize` and
// `render` off it, so those two are set on the function itself.

import { createApp } from "../ui/app.js";
import { watchConnection } from "./connection.js";
import { renderMyst } from "./myst.js";
import { standalone } from "./standalone.js";

function widget() {
  let lost = null; // what is gone ("kernel" or "server"), once it is
  const views = new Set();
  return {
    initialize({ model }) {
      return watchConnection(model, (reason) => {
        lost = reason;
        for (const view of views) view(reason);
      });
    },
    render({ model, el }) {
      const app = createApp(el, model);
      const offline = (reason) => app.offline(reason);
      if (lost) offline(lost);
      views.add(offline);
      return () => {
        views.delete(offline);
        app.destroy();
      };
    },
  };
}

widget.initialize = () => undefined; // MyST: no kernel to watch
widget.render = ({ model, el }) => renderMyst(model, el);

export default widget;
export { standalone };
