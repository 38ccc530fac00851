"""The ipympl canvas the app and its Landscape tab draw into: built directly, without pyplot, and quiet."""

from __future__ import annotations

import base64
import functools
import io
import warnings
from typing import Any

import numpy as np
import PIL.Image
from matplotlib.figure import Figure


@functools.cache
def _canvas_class() -> type:
    from ipympl.backend_nbagg import Canvas

    class AppCanvas(Canvas):
        """ipympl's canvas, keeping a valid ``data:`` URL until a browser view is there.

        ipympl 0.10 stores the bare base64 PNG in ``_data_url`` when it draws before any view exists; the
        browser then loads that as an image URL, fails, and the view never initialises (a 0x0 canvas).
        """

        def get_diff_image(self) -> bytes | None:
            # matplotlib's webagg version, with zlib level 1 instead of 6: PNG encoding was two thirds of the
            # kernel's time per slider move, and level 1 makes these mostly-empty diff frames about as small.
            if not self._png_is_old:
                return None
            pixels = np.asarray(self.get_renderer().buffer_rgba())
            buff = pixels.view(np.uint32).squeeze(2)
            if self._force_full or buff.shape != self._last_buff.shape or (pixels[:, :, 3] != 255).any():
                self.set_image_mode("full")
                output = buff
            else:
                self.set_image_mode("diff")
                output = np.where(buff != self._last_buff, buff, 0)
            self._last_buff = buff.copy()
            self._force_full = False
            self._png_is_old = False
            with io.BytesIO() as png:
                PIL.Image.fromarray(output.view(dtype=np.uint8).reshape((*output.shape, 4))).save(
                    png, format="png", compress_level=1)
                return png.getvalue()

        def send_binary(self, data: bytes) -> None:
            if not self.syncing_data_url:
                super().send_binary(data)
                return
            full = self._last_buff.view(dtype=np.uint8).reshape((*self._last_buff.shape, 4))
            with io.BytesIO() as png:
                PIL.Image.fromarray(full).save(png, format="png")
                self._data_url = "data:image/png;base64," + base64.b64encode(png.getvalue()).decode("ascii")

    return AppCanvas


def make_canvas(figure: Figure) -> tuple[Any, Any]:
    """An ipympl canvas (and its manager) for ``figure``, with no header, footer, toolbar or resize handle.

    Made directly, not through pyplot: no global figure registry, no automatic display, and the same object
    works in JupyterLab and in Voila whatever the notebook's backend. The app and the landscape tab use it.
    """
    from ipympl.backend_nbagg import FigureManager

    canvas = _canvas_class()(figure)
    with warnings.catch_warnings():
        # ipympl's Toolbar passes the canvas on to traitlets, which warns about it (ipympl 0.9/0.10).
        warnings.filterwarnings("ignore", r"Passing unrecognized arguments to super\(Toolbar\)", DeprecationWarning)
        manager = FigureManager(canvas, id(figure))
    canvas.header_visible = False
    canvas.footer_visible = False
    canvas.toolbar_visible = False
    canvas.resizable = False
    return canvas, manager
