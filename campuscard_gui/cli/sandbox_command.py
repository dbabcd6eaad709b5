"""``campuscard-sandbox``'s entry point: the rehearsal servers need the ``sandbox`` extra
(starlette and uvicorn, which the program itself does not); without it, say how to get it
instead of failing with an import error."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Sequence

from .. import messages
from ..core.text import _

SERVER_LIBRARIES = ("starlette", "uvicorn")


def missing_libraries() -> list[str]:
    return [name for name in SERVER_LIBRARIES if importlib.util.find_spec(name) is None]


def main(argv: Sequence[str] | None = None) -> int:
    missing = missing_libraries()
    if missing:
        messages.install(messages.choose())
        print(_("campuscard-sandbox 需要附加组件 sandbox（缺少 {names}）。请安装：\n"
                "  pip install 'campuscard-gui[sandbox]'\n"
                "（在源码目录中：pip install '.[sandbox]'）").format(names=", ".join(missing)),
              file=sys.stderr)
        return 2
    from ..sandbox.cli import main as run_sandbox

    return run_sandbox(argv)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
