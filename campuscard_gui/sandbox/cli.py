"""``campuscard-sandbox``: run a backend emulator on 127.0.0.1 until SIGINT/SIGTERM.

When ready it prints one JSON line per backend on stdout (简道云: backend, base_url, app_id,
students_entry_id, cards_entry_id, api_key; kintone: backend, base_url, students_app,
cards_app, students_token, cards_token, user, password, and guest_space when set; 神笔:
backend, base_url, app_code, students_object, cards_object, secret_id, secret_key, service,
version; ipaas: the 神笔 keys plus gateway_url and gateway_token);
``--backend all`` serves every backend on one port and prints every backend's line in the
order jiandaoyun, kintone, shenbi, ipaas. The API key (kintone: the password; 神笔: the
SecretKey) is random unless CAMPUSCARD_SANDBOX_API_KEY is set, the iPaaS gateway token unless
CAMPUSCARD_SANDBOX_GATEWAY_TOKEN is (secrets never go in argv).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import sys
import threading
from collections.abc import Sequence
from typing import Any

from . import ALL_BACKENDS, FAULT_KINDS, ShenbiSettings, start_sandbox
from . import registry as sandboxes
from .control import parse_fault_kinds
from .server import is_loopback

API_KEY_ENV = "CAMPUSCARD_SANDBOX_API_KEY"
GATEWAY_TOKEN_ENV = "CAMPUSCARD_SANDBOX_GATEWAY_TOKEN"


def _settings(backend: str) -> Any:
    """The ipaas gateway's token from the environment, when set (None: defaults)."""
    token = os.environ.get(GATEWAY_TOKEN_ENV)
    if token is None or backend not in ("ipaas", ALL_BACKENDS):
        return None
    ipaas = ShenbiSettings(gateway_token=token)
    return ipaas if backend == "ipaas" else {"ipaas": ipaas}


def _fault_kinds(text: str) -> tuple[str, ...]:
    try:
        return parse_fault_kinds(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def _rate(text: str) -> float:
    value = float(text)
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError("须在 0 到 1 之间")
    return value


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="campuscard-sandbox",
        description="在本机启动模拟后端（简道云、kintone、神笔、iPaaS 网关），用于演练和测试；"
                    "按 Ctrl+C 停止。")
    p.add_argument("--backend", choices=(*sandboxes.kinds(), ALL_BACKENDS), default="jiandaoyun",
                   help="模拟的后端；all 表示在同一端口上同时模拟全部后端")
    p.add_argument("--host", default="127.0.0.1", help="监听地址（只允许本机回环地址）")
    p.add_argument("--port", type=int, default=0, help="端口，0 表示自动选择")
    p.add_argument("--students", type=int, default=2000, help="演示学生人数")
    p.add_argument("--seed", type=int, default=1, help="演示数据与故障注入的随机种子")
    p.add_argument("--with-cards", action="store_true",
                   help="一卡通表单预置演示卡记录（默认为空表单）")
    p.add_argument("--latency-ms", type=float, default=0.0, help="每个请求额外延迟（毫秒）")
    p.add_argument("--fault-rate", type=_rate, default=0.0, help="注入故障的请求比例 0–1")
    p.add_argument("--faults", type=_fault_kinds, default=(),
                   help=f"故障类型，逗号分隔：{','.join(FAULT_KINDS)}")
    p.add_argument("--fault-scope", choices=("writes", "all"), default="writes",
                   help="故障只注入写接口（writes）或所有接口（all）")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if not is_loopback(args.host):
        print(f"错误：沙箱只能监听本机回环地址（如 127.0.0.1），拒绝 {args.host}", file=sys.stderr)
        return 2
    if args.students < 0:
        print("错误：--students 不能为负数", file=sys.stderr)
        return 2
    if args.fault_rate > 0 and not args.faults:
        print("错误：设置了 --fault-rate 但没有用 --faults 指定故障类型", file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    stop = threading.Event()

    def on_signal(signum: int, frame: object) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        try:
            running = start_sandbox(
                args.backend, args.students, args.seed, args.latency_ms, args.fault_rate,
                args.faults, host=args.host, port=args.port, with_cards=args.with_cards,
                fault_scope=args.fault_scope, api_key=os.environ.get(API_KEY_ENV) or None,
                settings=_settings(args.backend))
        except OSError as exc:
            print(f"错误：无法监听 {args.host}:{args.port}（{exc.strerror or exc}）",
                  file=sys.stderr)
            return 1
        for info in running.infos:
            print(json.dumps(info.start_line(), ensure_ascii=False), flush=True)
        try:
            while not stop.wait(0.2):
                pass
        finally:
            running.stop()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
