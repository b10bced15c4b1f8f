"""`tutor --web [--host H] [--port P]`: the same app, served to a browser by textual-serve.

textual-serve starts one `tutor` process per browser tab (Textual's web driver) and relays
its screen and keys over a websocket. Only the optional `web` extra brings it in.
"""
from __future__ import annotations

import shlex
import sys

INSTALL = 'pip install "nn-tutor[web]"'


def app_command(args) -> str:
    """The command textual-serve runs for each browser tab: this tutor, this workspace."""
    argv = [sys.executable, "-m", "tutor"]
    workspace = getattr(args, "workspace", None)
    if workspace is not None:
        argv += ["--workspace", str(workspace.expanduser().resolve())]
    return shlex.join(argv)


def run(args) -> int:
    try:
        from textual_serve.server import Server
    except ModuleNotFoundError:
        print(f"tutor --web needs the web extra: {INSTALL}", file=sys.stderr)
        return 1
    server = Server(app_command(args), host=args.host, port=args.port, title="tutor")
    try:
        server.serve()
    except OSError as exc:   # the port is taken, or the host is not this machine's
        print(f"tutor --web: cannot serve on {args.host}:{args.port} ({exc.strerror or exc}); "
              f"choose another with --port.", file=sys.stderr)
        return 1
    return 0
