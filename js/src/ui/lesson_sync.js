// The lesson back to the model: when the hand rests (SYNC_MS after the last change), and at once when the host
// needs it (Export, the page hidden or closed). A burst of key presses is one message, not one per press: each
// costs the kernel and Voila about 7 ms of CPU.

const SYNC_MS = 400;

/**
 * @param {object} model anywidget's model interface
 * @param {object} lesson the lesson the model holds now
 * @returns {{send(lesson), flush(), received(lesson), stop(), destroy()}} send: the lesson changed here;
 *   received: the model's lesson changed (nothing to send back); stop: send nothing more (the kernel is gone)
 */
export function createLessonSync(model, lesson) {
  let latest = lesson, sent = JSON.stringify(lesson), timer = null, stopped = false;

  function flush() {
    clearTimeout(timer);
    timer = null;
    const text = JSON.stringify(latest);
    if (text === sent || stopped) return;
    sent = text;
    model.set("lesson", latest);
    model.save_changes();
  }
  const onHide = () => { if (document.visibilityState === "hidden") flush(); };
  document.addEventListener("visibilitychange", onHide);
  window.addEventListener("pagehide", flush);

  return {
    send(next) {
      latest = next;
      clearTimeout(timer);
      timer = setTimeout(flush, SYNC_MS);
    },
    flush,
    received(next) {
      latest = next;
      sent = JSON.stringify(next);
    },
    stop() {
      stopped = true;
    },
    destroy() {
      clearTimeout(timer);
      document.removeEventListener("visibilitychange", onHide);
      window.removeEventListener("pagehide", flush);
    },
  };
}
