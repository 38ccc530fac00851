// Tabs as WAI-ARIA's tabs pattern describes them: a tablist of buttons, one panel shown, the arrow keys move
// between the tabs (focus follows) and only the selected tab is in the Tab order.
import { uid } from "../core/ids.js";
import { h } from "./dom.js";

/**
 * @param {{name: string, label: string, content: HTMLElement}[]} tabs
 * @param {(name: string) => void} onSelect after a tab is selected
 * @param {string} [first] the tab selected at first (the first tab by default)
 * @returns {{element, panels: object, selected: string, select(name)}}
 */
export function createTabs(tabs, onSelect, first = undefined) {
  const panels = {}, buttons = {};
  let selected = tabs.some((tab) => tab.name === first) ? first : tabs[0].name;
  for (const tab of tabs) {
    const on = tab.name === selected;
    panels[tab.name] = h("div", { class: "tj-panel", role: "tabpanel", id: uid("panel"), hidden: !on },
      tab.content);
    buttons[tab.name] = h("button", { type: "button", role: "tab", "aria-selected": String(on),
      tabindex: on ? undefined : "-1", "aria-controls": panels[tab.name].id, onclick: () => select(tab.name) },
    tab.label);
  }
  const names = tabs.map((t) => t.name);

  function select(name) {
    selected = name;
    for (const [key, button] of Object.entries(buttons)) {
      button.setAttribute("aria-selected", String(key === name));
      button.tabIndex = key === name ? 0 : -1;
      panels[key].hidden = key !== name;
    }
    onSelect(name);
  }

  const onKey = (event) => {
    const step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
    if (!step) return;
    const next = names[(names.indexOf(selected) + step + names.length) % names.length];
    select(next);
    buttons[next].focus();
    event.preventDefault();
  };
  const tablist = h("div", { class: "tj-tablist tj-tabs", role: "tablist", onkeydown: onKey },
    ...names.map((n) => buttons[n]));
  return {
    element: h("div", { class: "tj-view" }, tablist, ...names.map((n) => panels[n])),
    panels,
    get selected() { return selected; },
    select,
  };
}
