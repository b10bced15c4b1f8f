"""Inverted dropout on a row of units, and the L1 / L2 / ElasticNet penalties."""
from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Checkbox, Input, Label, Static

from tutor.app.widgets.playground import Playground

SHOWN = 40  # units drawn


class DropoutPlay(Playground):
    TITLE = "Dropout and weight penalties"

    def compose(self) -> ComposeResult:
        with Horizontal(classes="play-controls"):
            yield Label("drop p", classes="play-label")
            yield Input("0.5", id="p", type="number", classes="number")
            yield Checkbox("training", value=True, id="train", compact=True)
        with Horizontal(classes="play-controls"):
            yield Label("w", classes="play-label")
            yield Input("-2, -0.5, 0, 0.5, 2", id="w", compact=True)
            yield Label("α", classes="play-label")
            yield Input("0.1", id="alpha", type="number", classes="number", compact=True)
            yield Label("r", classes="play-label")
            yield Input("0.5", id="r", type="number", classes="number", compact=True)
        yield self.error_line()
        yield Static("", id="units", classes="play-text")
        yield Static("", id="penalties", classes="play-text")

    def params(self) -> dict:
        try:
            p = float(self.query_one("#p", Input).value)
        except ValueError:
            raise ValueError("p is a number in [0, 1)") from None
        return {"p": p, "train": self.query_one("#train", Checkbox).value, **self.penalty_params()}

    def penalty_params(self) -> dict:
        try:
            w = [float(v) for v in self.query_one("#w", Input).value.replace(",", " ").split()]
        except ValueError:
            raise ValueError("w is a list of numbers, such as -2, 0.5, 1") from None
        if not w:
            raise ValueError("w needs at least one number")
        try:
            alpha = float(self.query_one("#alpha", Input).value)
            r = float(self.query_one("#r", Input).value)
        except ValueError:
            raise ValueError("α is a number ≥ 0 and r a number in [0, 1]") from None
        if not (alpha >= 0 and 0 <= r <= 1):
            raise ValueError("α is a number ≥ 0 and r a number in [0, 1]")
        return {"w": w, "alpha": alpha, "r": r}

    def compute(self, p, train, w, alpha, r):
        from tutor.playground.regularization import dropout_demo, penalties

        return dropout_demo(p=p, train=train), penalties(w=w, alpha=alpha, r=r)

    def show(self, data) -> None:
        demo, pen = data
        text = Text()
        text.append(f"first {SHOWN} of {len(demo.x)} units (█ kept, · dropped):\n", "dim")
        for kept in demo.kept[:SHOWN]:
            text.append("█" if kept else "·", "cyan" if kept else "dim")
        text.append(f"\nkept {int(demo.kept.sum())}/{len(demo.x)}, kept ones scaled by "
                    f"{demo.scale:.3g}\n")
        text.append(f"mean in {demo.mean_in:.3f} → mean out {demo.mean_out:.3f}",
                    "bold green")
        text.append("  (the scaling keeps it)\n" if demo.train else "  (identity at test time)\n",
                    "dim")
        self.query_one("#units", Static).update(text)
        table = Text()
        weights = ", ".join(f"{v:g}" for v in pen.w)
        table.append(f"\nw = ({weights}), α = {pen.alpha:g}, r = {pen.r:g}\n", "bold")
        for name, value, grad in (("L1", pen.l1, pen.dl1), ("L2", pen.l2, pen.dl2),
                                  ("ElasticNet", pen.elastic_net, pen.delastic_net)):
            table.append(f"{name:<10} {value:6.4f}  ∂/∂w ", "")
            table.append("(" + " ".join(f"{g:+.3g}" for g in grad) + ")\n", "yellow")
        self.query_one("#penalties", Static).update(table)
