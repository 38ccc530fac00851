// Words in the page's language, English or Chinese, from the tables Python sends (state.config().messages, read
// from trajectories/locales/*.json): one table per language, flat keys, {{name}} placeholders, as
// trajectories/i18n.py reads them. Pure, no DOM, importable by Node as it is.
//
// A message is said from a key and its parameters; a note that comes from Python or from a link is data,
// {key, params}, said in whatever language the page speaks when it shows it (a parameter may be such a message
// too). Plain text (a teacher's own message) is shown as it is.

export const LANGUAGES = ["en", "zh"];
export const DEFAULT_LANGUAGE = "en";
const PLACEHOLDER = /\{\{(\w+)\}\}/g;

/**
 * The first of a reader's languages (navigator.languages) that the app speaks, by its primary subtag (zh-CN,
 * zh-TW, zh-Hans -> zh), else English: trajectories.i18n.pick's rule.
 *
 * @param {readonly string[] | undefined} languages
 * @returns {string}
 */
export function pickLanguage(languages) {
  for (const tag of languages ?? []) {
    const primary = String(tag).trim().toLowerCase().replace(/_/g, "-").split("-")[0];
    if (LANGUAGES.includes(primary)) return primary;
  }
  return DEFAULT_LANGUAGE;
}

/** `value` if it is a language the app speaks, else null. */
export function checkLanguage(value) {
  return LANGUAGES.includes(value) ? value : null;
}

/**
 * A message, plain text, or {key, params} data, said in `lang` (a key the table lacks is said as the key itself,
 * so a missing word shows and never throws).
 *
 * @param {object} messages config.messages: {en: {key: template}, zh: {...}}
 * @param {string} lang
 * @param {string | {key: string, params?: object}} note
 * @returns {string}
 */
export function say(messages, lang, note) {
  if (typeof note === "string") return note;
  if (!note || typeof note.key !== "string") return String(note);
  return format(messages, lang, note.key, note.params);
}

function format(messages, lang, key, params = {}) {
  const table = messages?.[lang] ?? messages?.[DEFAULT_LANGUAGE] ?? {};
  const template = table[key] ?? messages?.[DEFAULT_LANGUAGE]?.[key];
  if (template === undefined) return key;
  return template.replace(PLACEHOLDER, (whole, name) => {
    const value = params?.[name];
    if (value === undefined || value === null) return whole;
    return typeof value === "object" ? say(messages, lang, value) : String(value);
  });
}

/**
 * The page's words in one language: t(key, params) says a message; t.note(note) says a note (text or data).
 *
 * @param {object} messages config.messages
 * @param {string} lang
 * @returns {((key: string, params?: object) => string) & {lang: string, note: (note: any) => string,
 *   has: (key: string) => boolean, term: (kind: string, value: string) => string}}
 */
export function translator(messages, lang) {
  const t = (key, params) => format(messages, lang, key, params);
  t.lang = lang;
  t.note = (note) => say(messages, lang, note);
  t.has = (key) => Object.hasOwn(messages?.[lang] ?? {}, key);
  // The name of an optimizer or an objective ("optimizer", "gd" -> 梯度下降); one the tables lack, as it is. (Not
  // t.name: a function's name is read-only, and a module's strict code throws on writing it.)
  t.term = (kind, value) => (t.has(`${kind}.${value}`) ? t(`${kind}.${value}`) : String(value));
  return t;
}

/** {key, params}: a message as data, to be said later in the page's language. */
export function message(key, params = {}) {
  return { key, params };
}
