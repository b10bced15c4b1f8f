"""The Play tab: the playground widgets of the lesson open."""
from __future__ import annotations

import importlib

from textual.containers import VerticalScroll
from textual.widgets import Static

# lesson id -> the widgets (module:class in tutor.app.widgets), imported when first shown
PLAYGROUND_WIDGETS: dict[str, tuple[str, ...]] = {
    "perceptron": ("perceptron:PerceptronPlay",),
    "backprop": ("backprop:BackpropGraph",),
    "training": ("training:TrainingPlay",),
    "activations": ("activations:ActivationPlot", "activations:VanishingGradients"),
    "parameters": ("parameters:ParamCounter",),
    "rnn": ("rnn:RnnStepper",),
    "losses": ("losses:SoftmaxPlay", "losses:TripletPlay"),
    "regularization": ("regularization:DropoutPlay",),
    "cnn": ("cnn:ConvolutionPlay",),
    "momentum": ("momentum:MomentumPlay",),
    "batchnorm": ("batchnorm:BatchnormPlay",),
    "practice": ("practice:SchedulesPlay", "practice:BatchNoisePlay", "practice:ShallowDeepPlay"),
    "deeper": ("deeper:ResidualPlay", "deeper:TransferPlay"),
    "unsupervised": ("unsupervised:AutoencoderPlay",),
    "capstone": ("capstone:CapstonePlay",),
}


def widget_classes(lesson_id: str) -> list[type]:
    classes = []
    for spec in PLAYGROUND_WIDGETS.get(lesson_id, ()):
        module, name = spec.split(":")
        classes.append(getattr(importlib.import_module(f"tutor.app.widgets.{module}"), name))
    return classes


class PlayArea(VerticalScroll):
    """Swaps in the playgrounds of each lesson."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.lesson_id: str | None = None    # the lesson open
        self.mounted_for: str | None = None  # the lesson whose playgrounds are mounted

    def show(self, lesson_id: str, active: bool = True, focus: bool = False) -> None:
        """Open a lesson's playgrounds; while the Play tab is hidden (active False) they are
        only mounted when the tab is shown (activate), so nothing computes unseen."""
        self.lesson_id = lesson_id
        if active:
            self.activate(focus=focus)

    def activate(self, focus: bool = False) -> None:
        """Mount the lesson's playgrounds if they are not yet; with focus, the first one gets
        the focus once mounted (a widget being mounted cannot take it yet: keys would go
        nowhere, or into a text box)."""
        lesson_id = self.lesson_id
        if lesson_id is None or lesson_id == self.mounted_for:
            if focus:
                self.focus_first()
            return
        self.mounted_for = lesson_id
        self.remove_children()
        widgets = [cls() for cls in widget_classes(lesson_id)]
        if not widgets:
            widgets = [Static("This lesson has no playground: its exercises are the thing to "
                              "play with (press 3).", classes="play-none")]
        mounting = self.mount_all(widgets)
        self.scroll_home(animate=False)
        if focus:
            async def focus_when_mounted() -> None:
                await mounting
                self.call_after_refresh(self.focus_first)

            self.call_later(focus_when_mounted)

    def focus_first(self) -> None:
        """Focus the first playground (not a text box: digits still switch tabs)."""
        from tutor.app.widgets.playground import Playground

        for widget in self.query(Playground):
            self.screen.set_focus(widget, scroll_visible=False)   # at once, see focus_table
            return
        self.screen.set_focus(self, scroll_visible=False)
