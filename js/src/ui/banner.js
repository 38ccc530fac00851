// The line that says the kernel or the server is gone, at the top of the app, with a Reload button, in the page's
// language (the app shows it again when the language changes).
import { h } from "./dom.js";

/**
 * Show why the page is offline at the top of the app's root (once: a second call changes the words).
 *
 * @param {HTMLElement} root the app's root
 * @param {Function} t the page's words (core/i18n.js translator)
 * @param {"kernel" | "server"} reason what is gone
 */
export function showBanner(root, t, reason) {
  let banner = root.querySelector(":scope > .tj-status");
  if (!banner) {
    banner = h("div", { class: "tj-status tj-shown", role: "alert" });
    root.prepend(banner);
  }
  banner.replaceChildren(h("span", { text: t(`banner.${reason}`) }),
    h("button", { type: "button", class: "tj-reload", onclick: () => window.location.reload() }, t("banner.reload")));
  return banner;
}
