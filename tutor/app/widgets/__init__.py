"""The app's widgets: the lesson list and view, the exercise panel, and one playground
widget per lesson (see play_area.PLAYGROUND_WIDGETS)."""
