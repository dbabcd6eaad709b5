"""``campuscard-cli``: the same core as the window, for scripts and cron jobs.

    campuscard-cli [--profile NAME] students [--status S] [--card C] [--format table|csv|json]
    campuscard-cli [--profile NAME] open|freeze|unfreeze|cancel --ids FILE|- [--yes]
                   [--allow-non-enrolled (open only)] [--format table|json]
    campuscard-cli jobs list | show ID | resume ID
    campuscard-cli [--profile NAME] local init --students N [--seed S] [--force]
    campuscard-cli [--profile NAME] local import FILE [--map field=COLUMN ...] [--yes]
    campuscard-cli profiles list | add NAME --kind jiandaoyun … | remove NAME | test NAME
                   (see cli/profiles.py; secrets only via stdin or a hidden prompt)

Exit codes: 0 all done and nothing failed; 1 a record failed, the job was cancelled (Ctrl-C)
or could not finish, the operator declined, or another expected error; 2 usage error (bad
arguments, missing/unreadable/non-UTF-8/empty ids file, unknown profile or job, a confirmation
needed but no terminal to ask on). Expected errors print one Chinese line on stderr.

Ctrl-C during a run sets the job's cancel token: the chunk in flight finishes, the rest
becomes 已取消 and the exit code is 1. A second Ctrl-C stops at once; the job then stays
unfinished and ``jobs resume ID`` continues it without writing anything twice.
"""

from __future__ import annotations

import argparse
import io
import math
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from types import FrameType
from typing import TYPE_CHECKING, TextIO

from ..batch import (
    BatchRunner,
    CancelToken,
    JobInfo,
    JobState,
    Journal,
    Progress,
    chunk_size_for,
    current_operator,
)
from ..config import ConfigStore, Paths
from ..connectors.base import Connector
from ..core.errors import CampusCardError, ConfigError, ImportFileError
from ..core.model import Action, CardStatus, StudentStatus
from ..core.plan import Plan, plan_for_ids
from .common import Context, UsageError, connected
from .output import summary_line, write_job, write_job_list, write_students
from .profiles import add_parser as add_profiles_parser

if TYPE_CHECKING:
    from ..config.credentials import CredentialStore

STUDENT_STATUS_NAMES: dict[str, StudentStatus] = {
    **{s.value: s for s in StudentStatus},
    "enrolled": StudentStatus.ENROLLED, "suspended": StudentStatus.SUSPENDED,
    "withdrawn": StudentStatus.WITHDRAWN, "graduated": StudentStatus.GRADUATED,
}
CARD_STATUS_NAMES: dict[str, CardStatus] = {
    **{s.value: s for s in CardStatus},
    "none": CardStatus.NONE, "active": CardStatus.ACTIVE, "frozen": CardStatus.FROZEN,
    "cancelled": CardStatus.CANCELLED, "canceled": CardStatus.CANCELLED,
}


def _choice(names: dict[str, StudentStatus] | dict[str, CardStatus], what: str
            ) -> Callable[[str], StudentStatus | CardStatus]:
    def parse(text: str) -> StudentStatus | CardStatus:
        found = names.get(text.strip()) or names.get(text.strip().casefold())
        if found is None:
            raise argparse.ArgumentTypeError(
                f"无法识别的{what}：{text}（可用：{'、'.join(names)}）")
        return found
    return parse


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"不是整数：{text}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"必须大于 0：{text}")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="campuscard-cli", description="校园一卡通批量开通、冻结、解冻、注销")
    parser.add_argument("--profile", metavar="NAME", help="使用的配置（默认：local）")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    students = sub.add_parser("students", help="列出学生及其一卡通状态")
    students.add_argument("--status", type=_choice(STUDENT_STATUS_NAMES, "学籍状态"),
                          help="学籍状态：在读/休学/退学/毕业 或 enrolled/suspended/…")
    students.add_argument("--card", type=_choice(CARD_STATUS_NAMES, "卡状态"),
                          help="卡状态：未开通/正常/冻结/注销 或 none/active/frozen/cancelled")
    students.add_argument("--format", choices=("table", "csv", "json"), default="table")
    students.set_defaults(handler=cmd_students)

    for action in Action:
        p = sub.add_parser(action.value, help=action.label)
        p.add_argument("--ids", required=True, metavar="FILE|-",
                       help="每行一个学号的 UTF-8 文本文件；- 表示从标准输入读取")
        p.add_argument("--yes", "-y", action="store_true", help="不再询问，直接执行")
        if action is Action.OPEN:
            p.add_argument("--allow-non-enrolled", action="store_true",
                           help="也为学籍状态不是“在读”的学生开通")
        p.add_argument("--format", choices=("table", "json"), default="table")
        p.set_defaults(handler=cmd_action, action=action)

    jobs = sub.add_parser("jobs", help="任务历史")
    jobs_sub = jobs.add_subparsers(dest="jobs_command", required=True, metavar="list|show|resume")
    jl = jobs_sub.add_parser("list", help="列出任务（最新在前）")
    jl.add_argument("--limit", type=_positive_int, default=50)
    jl.add_argument("--format", choices=("table", "json"), default="table")
    jl.set_defaults(handler=cmd_jobs_list)
    for name, handler, text in (("show", cmd_jobs_show, "显示任务的每条记录"),
                                ("resume", cmd_jobs_resume, "继续未完成的任务")):
        jp = jobs_sub.add_parser(name, help=text)
        jp.add_argument("job_id", type=_positive_int, metavar="ID")
        jp.add_argument("--format", choices=("table", "json"), default="table")
        jp.set_defaults(handler=handler)

    local = sub.add_parser("local", help="本地数据库（local 类型的配置）")
    local_sub = local.add_subparsers(dest="local_command", required=True, metavar="init|import")
    li = local_sub.add_parser("init", help="生成演示数据")
    li.add_argument("--students", type=_positive_int, required=True, metavar="N")
    li.add_argument("--seed", type=int, default=1, metavar="S")
    li.add_argument("--force", action="store_true", help="覆盖已有的数据库")
    li.set_defaults(handler=_local_handler("init"))
    lm = local_sub.add_parser("import", help="从 CSV/XLSX 导入学生")
    lm.add_argument("file", metavar="FILE")
    lm.add_argument("--map", action="append", default=[], metavar="field=COLUMN",
                    help="指定列：字段（student_no/name/college/class_name/status）=列名或列号")
    lm.add_argument("--yes", "-y", action="store_true")
    lm.set_defaults(handler=_local_handler("import"))

    add_profiles_parser(sub)
    return parser


def _local_handler(name: str) -> Callable[[argparse.Namespace, Context], int]:
    def handler(args: argparse.Namespace, ctx: Context) -> int:
        from . import local as cli_local  # the import machinery (openpyxl) only when needed

        command: Callable[[argparse.Namespace, Context], int] = getattr(cli_local, f"cmd_{name}")
        return command(args, ctx)
    return handler


# -- students ---------------------------------------------------------------------------------

def cmd_students(args: argparse.Namespace, ctx: Context) -> int:
    with connected(ctx, ctx.profile()) as connector:
        rows = connector.list_rows()
    if args.status is not None:
        rows = [r for r in rows if r.student.status is args.status]
    if args.card is not None:
        rows = [r for r in rows if r.card_status is args.card]
    write_students(ctx.stdout, rows, args.format)
    return 0


# -- the four actions -------------------------------------------------------------------------

def read_ids(source: str, stdin: TextIO) -> list[str]:
    """学号 from a UTF-8 file (BOM tolerated) or stdin ("-"): one a line, blanks ignored."""
    if source == "-":
        buffer = getattr(stdin, "buffer", None)
        data: bytes | str = buffer.read() if buffer is not None else stdin.read()
        where = "标准输入"
    else:
        try:
            with open(source, "rb") as fh:
                data = fh.read()
        except FileNotFoundError:
            raise UsageError(f"学号文件不存在：{source}") from None
        except IsADirectoryError:
            raise UsageError(f"学号文件是一个目录：{source}") from None
        except OSError as exc:
            raise UsageError(f"学号文件无法读取：{source}（{exc.strerror or exc}）") from None
        where = f"学号文件 {source}"
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise UsageError(f"{where} 不是 UTF-8 编码的文本") from None
    else:
        text = data.removeprefix("\ufeff")
    ids = [line.strip() for line in text.splitlines()]
    ids = [i for i in ids if i]
    if not ids:
        raise UsageError(f"{where} 中没有学号")
    return ids


def describe_plan(plan: Plan, profile: str) -> str:
    lines = [f"将对 {plan.total} 名学生执行“{plan.action.label}”（配置：{profile}）：",
             f"  写入：{len(plan.writes)}",
             f"  跳过：{len(plan.skips)}"]
    lines += [f"    {reason.text}：{count}" for reason, count in plan.skip_summary()]
    return "\n".join(lines)


def cmd_action(args: argparse.Namespace, ctx: Context) -> int:
    action: Action = args.action
    ids = read_ids(args.ids, ctx.stdin)
    profile = ctx.profile()
    with connected(ctx, profile) as connector:
        rows = {r.student_no: r for r in connector.list_rows()}
        plan = plan_for_ids(action, ids, rows,
                            allow_non_enrolled=getattr(args, "allow_non_enrolled", False))
        if plan.writes and not args.yes:
            ctx.say(describe_plan(plan, profile.name))
            if args.ids == "-" or not ctx.interactive():
                raise UsageError("需要确认：没有可以询问的终端，请加 --yes 参数直接执行")
            if not ctx.confirm():
                ctx.say("已放弃，没有执行任何操作")
                return 1
            if action.irreversible:
                typed = ctx.ask(f"注销不可撤销。请输入要注销的记录数（{len(plan.writes)}）以确认：")
                if typed != str(len(plan.writes)):
                    ctx.say("输入的数量不符，已放弃，没有执行任何操作")
                    return 1
        with Journal(ctx.paths.journal_path) as journal:
            job_id = journal.create_job(plan, profile=profile.name, operator=current_operator(),
                                        chunk_size=chunk_size_for(connector))
            return run_job(ctx, connector, journal, job_id, args.format)


def run_job(ctx: Context, connector: Connector, journal: Journal, job_id: int, fmt: str) -> int:
    """Run (or resume) a job with Ctrl-C as its cancel button; print the records."""
    token = CancelToken()
    exit_code = 0
    with _sigint_cancels(token, ctx):
        try:
            info = BatchRunner(connector, journal).run(
                job_id, cancel=token, progress=_progress_printer(ctx))
        except CampusCardError as exc:
            ctx.say(f"错误：{exc.message}")
            info = journal.job(job_id)
            if not info.finished:
                ctx.say(f"任务 {job_id} 未完成，可用 campuscard-cli jobs resume {job_id} 继续")
            exit_code = 1
    write_job(ctx.stdout, info, journal.records(job_id), fmt)
    if fmt == "json":
        ctx.say(summary_line(info))
    if info.failed or info.cancelled or info.pending:
        exit_code = 1
    return exit_code


def _progress_printer(ctx: Context) -> Callable[[Progress], None]:
    """Progress on a terminal; elsewhere (a script, a log) only the waits for unanswered
    writes, one line when a wait starts, so a long pause is never silent."""
    try:
        tty = bool(ctx.stderr.isatty())
    except (AttributeError, ValueError, OSError):
        tty = False
    waiting = [False]

    def wait_line(p: Progress) -> bool:
        if p.waiting_s <= 0:
            waiting[0] = False
            return False
        if tty or not waiting[0]:
            text = f"等待未应答的写入落定，还需 {math.ceil(p.waiting_s)} 秒"
            ctx.stderr.write("\r" + text + "   " if tty else text + "\n")
            ctx.stderr.flush()
        waiting[0] = True
        return True

    def show(p: Progress) -> None:
        if wait_line(p) or not tty:
            return
        eta = f"，剩余约 {p.eta:.0f} 秒" if p.eta else ""
        ctx.stderr.write(f"\r已处理 {p.done}/{p.total}（{p.rate:.0f} 条/秒{eta}）   ")
        if p.done >= p.total:
            ctx.stderr.write("\n")
        ctx.stderr.flush()
    return show


@contextmanager
def _sigint_cancels(token: CancelToken, ctx: Context) -> Iterator[None]:
    """First Ctrl-C: cancel between chunks. Second: the usual KeyboardInterrupt."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def on_sigint(signum: int, frame: FrameType | None) -> None:
        if token.is_cancelled:
            raise KeyboardInterrupt
        token.cancel()
        ctx.say("\n正在取消：等当前这一批完成后停止（再按一次 Ctrl-C 立即中断）")

    previous = signal.signal(signal.SIGINT, on_sigint)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


# -- jobs -------------------------------------------------------------------------------------

def cmd_jobs_list(args: argparse.Namespace, ctx: Context) -> int:
    with Journal(ctx.paths.journal_path) as journal:
        write_job_list(ctx.stdout, journal.list_jobs(args.limit), args.format)
    return 0


def cmd_jobs_show(args: argparse.Namespace, ctx: Context) -> int:
    with Journal(ctx.paths.journal_path) as journal:
        info = _job_or_usage(journal, args.job_id)
        write_job(ctx.stdout, info, journal.records(info.job_id), args.format)
    return 0


def cmd_jobs_resume(args: argparse.Namespace, ctx: Context) -> int:
    """Continue an unfinished job on the profile it was created with (not --profile)."""
    with Journal(ctx.paths.journal_path) as journal:
        info = _job_or_usage(journal, args.job_id)
        if info.finished:
            state = "已完成" if info.state is JobState.DONE else "已取消"
            raise UsageError(f"任务 {info.job_id} {state}，不能继续")
        with connected(ctx, ctx.profile(info.profile)) as connector:
            return run_job(ctx, connector, journal, info.job_id, args.format)


def _job_or_usage(journal: Journal, job_id: int) -> JobInfo:
    try:
        return journal.job(job_id)
    except CampusCardError as exc:
        raise UsageError(exc.message) from exc


# -- entry point ------------------------------------------------------------------------------

def main(argv: Sequence[str] | None = None,
         credentials: CredentialStore | None = None) -> int:
    """``credentials``: where secrets are read and written (None: the OS keyring)."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse: --help (0) or a usage error (2)
        return exc.code if isinstance(exc.code, int) else 2
    _utf8_stdout()
    ctx = Context(Paths.from_env(), ConfigStore(Paths.from_env()), args.profile,
                  sys.stdin, sys.stdout, sys.stderr, credentials)
    try:
        code: int = args.handler(args, ctx)
        return code
    except (UsageError, ConfigError, ImportFileError) as exc:
        ctx.say(f"错误：{exc.message}")
        return 2
    except CampusCardError as exc:
        ctx.say(f"错误：{exc.message}")
        return 1
    except KeyboardInterrupt:
        ctx.say("\n已中断")
        return 130
    except BrokenPipeError:  # the reader went away (… | head): stop quietly
        _silence_stdout()
        return 1


def _utf8_stdout() -> None:
    """JSON and CSV for scripts are UTF-8 even where the locale says otherwise (a pipe on a
    Chinese Windows defaults to GBK); a terminal keeps its own encoding."""
    out = sys.stdout
    try:
        if isinstance(out, io.TextIOWrapper) and not out.isatty() \
                and out.encoding.replace("-", "").lower() != "utf8":
            out.reconfigure(encoding="utf-8")
    except (OSError, ValueError):
        pass


def _silence_stdout() -> None:
    """Point stdout at the null device so that the interpreter's final flush stays quiet."""
    try:
        fd = os.open(os.devnull, os.O_WRONLY)
        os.dup2(fd, sys.stdout.fileno())
        os.close(fd)
    except (OSError, AttributeError, ValueError):
        pass


if __name__ == "__main__":
    sys.exit(main())
