"""What the harness's scripts share: Chromium's flags, the page's address, console watching, attribute checks."""

import pathlib

HERE = pathlib.Path(__file__).resolve().parent
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
# Attributes of the drawing that hold NaN, undefined or Infinity: [tag, attribute=value]
BAD_ATTRIBUTES = """() => Array.from(document.querySelectorAll('svg *')).flatMap(n =>
    Array.from(n.attributes).filter(a => /NaN|undefined|Infinity/.test(a.value))
        .map(a => n.tagName + ' ' + a.name + '=' + a.value))"""


def launch(p):
    return p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)


def url(**query):
    """harness/landscape.html with a query (case=..., theme=...)."""
    text = "&".join(f"{k}={v}" for k, v in query.items() if v)
    return (HERE / "landscape.html").as_uri() + (f"?{text}" if text else "")


def watch(page, problems):
    """Collect the page's console errors and warnings and its uncaught errors into `problems`."""
    def console(message):
        if message.type in ("error", "warning"):
            problems.append(f"console.{message.type}: {message.text}")
    page.on("console", console)
    page.on("pageerror", lambda e: problems.append(f"pageerror: {e}"))
