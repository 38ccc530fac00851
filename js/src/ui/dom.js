// The one DOM helper of the controls: an element with its attributes, listeners and children in one call, and the
// few page-level chores (styles once per root, a download, an icon button).

/**
 * h("button", {class: "tj-reset", onclick: f, "aria-pressed": "false"}, "Reset"): attributes as strings (true is
 * an empty attribute; false, null and undefined leave it out), `class`, `text` (textContent) and `on<event>`
 * listeners; children are nodes or strings, null and undefined skipped.
 */
export function h(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  node.append(...children.filter((c) => c !== null && c !== undefined));
  return node;
}

const ICON = {
  play: '<svg aria-hidden="true" width="11" height="11" viewBox="0 0 10 10"><path d="M2 1l7 4-7 4z" fill="currentColor"/></svg>',
  pause: '<svg aria-hidden="true" width="11" height="11" viewBox="0 0 10 10"><path d="M2 1h2v8H2zM6 1h2v8H6z" fill="currentColor"/></svg>',
  reset: '<svg aria-hidden="true" width="12" height="12" viewBox="0 0 12 12"><path d="M6 2a4 4 0 1 1-3.46 2H1l2.2-2.6L5.4 4H3.7A3 3 0 1 0 6 3z" fill="currentColor"/></svg>',
  duplicate: '<svg aria-hidden="true" width="12" height="12" viewBox="0 0 12 12"><path d="M4 1h7v7H4zM5.2 2.2v4.6h4.6V2.2zM1 4h2v1.2h-.8v4.6h4.6V9H8v2H1z" fill="currentColor"/></svg>',
  remove: '<svg aria-hidden="true" width="12" height="12" viewBox="0 0 12 12"><path d="M2.2 1.3L6 5.1l3.8-3.8.9.9L6.9 6l3.8 3.8-.9.9L6 6.9l-3.8 3.8-.9-.9L5.1 6 1.3 2.2z" fill="currentColor"/></svg>',
  download: '<svg aria-hidden="true" width="12" height="12" viewBox="0 0 12 12"><path d="M5 1h2v5h2L6 9 3 6h2zM1 10h10v1.5H1z" fill="currentColor"/></svg>',
};

/** Set a button's icon and label (Play becomes Pause and back); the label is text, never markup. */
export function setIcon(button, icon, label) {
  button.innerHTML = `${ICON[icon]} `;
  button.append(h("span", { text: label }));
}

export function iconButton(icon, label, attributes) {
  const button = h("button", { type: "button", ...attributes });
  setIcon(button, icon, label);
  return button;
}

/** A button showing only its icon; `attributes` should hold its aria-label and title. */
export function iconOnlyButton(icon, attributes) {
  const button = h("button", { type: "button", ...attributes });
  button.innerHTML = ICON[icon];
  return button;
}

/** The styles in `css`, once per document or shadow root that holds `el`. */
export function installStyles(el, css) {
  const root = el.getRootNode();
  const target = root instanceof ShadowRoot ? root : document.head;
  if (target.querySelector?.("style[data-tj-styles]")) return;
  target.append(h("style", { "data-tj-styles": "1", text: css }));
}

/** Save `data` as a file named `name` through the browser. */
export function download(name, data, mime) {
  const url = URL.createObjectURL(new Blob([data], { type: mime }));
  const a = h("a", { href: url, download: name, style: "display:none" });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
}
