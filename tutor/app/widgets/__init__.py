"""The app's widgets: the lesson list and view, the exercise panel, the Play tab, and the
playgrounds of each lesson in a module named after the lesson (the lesson registry,
tutor.lessons.registry, names each lesson's widgets)."""
