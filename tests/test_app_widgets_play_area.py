"""tutor/app/widgets/play_area.py: each lesson's playgrounds, mounted when the tab shows."""
from __future__ import annotations

from test_app_support import asynctest, fresh_workspace, make_app, settle

from tutor.app.widgets.play_area import PlayArea, widget_classes
from tutor.app.widgets.playground import Playground
from tutor.lessons import LESSONS


def test_playgrounds_name_real_lessons_and_widgets():
    for lesson in LESSONS:
        assert all(issubclass(cls, Playground) for cls in widget_classes(lesson.id))


@asynctest
async def test_every_lesson_shows_its_playground(tmp_path):
    app = make_app(fresh_workspace(tmp_path))
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        area = app.screen.query_one(PlayArea)
        assert area.mounted_for is None          # nothing computes before the tab shows
        await pilot.press("2")
        for lesson in LESSONS:
            app.screen.show_lesson(lesson.id)
            await settle(pilot)
            expected = [cls.__name__ for cls in widget_classes(lesson.id)]
            shown = [type(w).__name__ for w in area.query(Playground)]
            assert shown == expected, lesson.id
            for widget in area.query(Playground):
                assert widget.data is not None and widget.error is None, lesson.id
            if not expected:
                assert area.query(".play-none")
