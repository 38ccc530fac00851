// The line that says the kernel or the server is gone, at the top of the app, with a Reload button.
import { h } from "../ui/dom.js";

/** Show `message` at the top of the app's root (once: a second call changes the words). */
export function showBanner(root, message) {
  let banner = root.querySelector(":scope > .tj-status");
  if (!banner) {
    banner = h("div", { class: "tj-status tj-shown", role: "alert" });
    root.prepend(banner);
  }
  banner.replaceChildren(h("span", { text: message }),
    h("button", { type: "button", class: "tj-reload", onclick: () => window.location.reload() }, "Reload"));
  return banner;
}
