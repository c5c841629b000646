"""Browser code shipped with the app, registered as shared assets next to this file."""

import reflex as rx

WEEK_PICKER = rx.asset("week_picker.jsx", shared=True)
IDLE_WATCH = rx.asset("idle_watch.jsx", shared=True)
