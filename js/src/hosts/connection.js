// Whether the kernel behind the widget is still there, so the page can say so instead of pretending.
//
// Voila shows nothing when a kernel dies or the server stops: the widgets just stop answering. What a widget can
// see (measured in Voila 0.5 and JupyterLab 4.6):
// - the model's "comm_live_update" event: the kernel died and was restarted, or was restarted from this page;
//   the model never comes back to life;
// - the kernel connection the widget manager holds (status "restarting", "autorestarting", "dead", "starting";
//   connection status "connecting" or "disconnected" when the server went away, within about a second);
// - a send that throws "Cannot send".
// Where the manager does not expose its kernel, a slow heartbeat (a ping the kernel answers) covers the rest.

const HEARTBEAT_MS = 10000;
const MISSED = 2; // pongs missed in a row before the server counts as gone

// What is gone: the banner says it in the page's language (ui/banner.js, the tables' banner.kernel and
// banner.server).
export const LOST = { kernel: "kernel", server: "server" };

/**
 * Call `callback(reason)` once when the kernel or the server is gone (reason: one of LOST).
 *
 * @returns {() => void} stop watching
 */
export function watchConnection(model, callback) {
  let done = false;
  const lost = (reason) => {
    if (done) return;
    done = true;
    callback(reason);
  };
  const onLive = () => lost(LOST.kernel);
  model.on("comm_live_update", onLive);
  const stops = [() => model.off("comm_live_update", onLive)];

  const kernel = model.widget_manager?.kernel;
  if (kernel?.statusChanged?.connect && kernel?.connectionStatusChanged?.connect) {
    const onStatus = (_, status) => {
      if (["restarting", "autorestarting", "dead", "starting"].includes(status)) lost(LOST.kernel);
    };
    const onConnection = (_, status) => {
      if (status !== "connected") lost(LOST.server);
    };
    kernel.statusChanged.connect(onStatus);
    kernel.connectionStatusChanged.connect(onConnection);
    stops.push(() => {
      kernel.statusChanged.disconnect(onStatus);
      kernel.connectionStatusChanged.disconnect(onConnection);
    });
  } else {
    let missed = 0;
    let waiting = false;
    const onPong = (message) => {
      if (message?.type === "pong") {
        waiting = false;
        missed = 0;
      }
    };
    model.on("msg:custom", onPong);
    const timer = setInterval(() => {
      if (document.hidden) return;
      if (waiting) missed += 1;
      if (missed >= MISSED) return lost(LOST.server);
      try {
        model.send({ type: "ping" });
        waiting = true;
      } catch {
        lost(LOST.kernel);
      }
    }, HEARTBEAT_MS);
    stops.push(() => {
      clearInterval(timer);
      model.off("msg:custom", onPong);
    });
  }
  return () => {
    for (const stop of stops) stop();
  };
}
