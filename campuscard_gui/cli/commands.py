"""``campuscard-cli``: the same core as the window, for scripts and cron jobs.

    campuscard-cli [--profile NAME] students [--status S] [--card C] [--format table|csv|json]
    campuscard-cli [--profile NAME] open|freeze|unfreeze|cancel --ids FILE|- [--yes]
                   [--allow-non-enrolled (open only)] [--format table|json]
    campuscard-cli jobs list | show ID | resume ID [--take-over] | discard ID [--yes] [--take-over]
    campuscard-cli [--profile NAME] local init --students N [--seed S] [--force]
    campuscard-cli [--profile NAME] local import FILE [--map field=COLUMN ...] [--yes]
    campuscard-cli profiles list | add NAME --kind jiandaoyun … | remove NAME | test NAME
                   (see cli/profiles.py; secrets only via stdin or a hidden prompt)

Exit codes (cli/common.py EXIT_*): 0 all done and nothing failed; 1 a record failed, the job
was cancelled (Ctrl-C) or could not finish, or the operator declined (``profiles …``: also
any failure, as before); 2 usage error (bad arguments, missing/unreadable/non-UTF-8/empty ids
file, unknown profile or job, a confirmation needed but no terminal to ask on, an unreadable
config or import file); 3 the command failed as a whole (backend or network, the journal, a
job held by another program, a folder that cannot be used) and nothing more was done; 130
interrupted (a second Ctrl-C). Expected errors print one Chinese line on stderr; with
``--format json`` a command that fails (2, 3, 130) also prints
``{"error": {"code": …, "message": …}}`` on stdout instead of its result.

Ctrl-C during a run sets the job's cancel token: the chunk in flight finishes, the rest
becomes 已取消 and the exit code is 1. A second Ctrl-C stops at once; the job then stays
unfinished and ``jobs resume ID`` continues it without writing anything twice.
"""

from __future__ import annotations

import argparse
import io
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, redirect_stderr
from types import FrameType
from typing import TYPE_CHECKING, TextIO

from .. import __version__, messages
from ..batch import (
    BatchRunner,
    CancelToken,
    ChunkState,
    JobInfo,
    JobRecord,
    JobState,
    Journal,
    Progress,
    Wait,
    WaitKind,
    chunk_size_for,
    current_operator,
    first_chunk_for,
)
from ..batch.jobs import JobClaimedError
from ..batch.listing import list_students
from ..config import ConfigStore, Paths
from ..config.paths import private_files
from ..config.snapshots import SnapshotStore
from ..connectors.base import Connector
from ..core.errors import CampusCardError, ConfigError, ImportFileError
from ..core.model import Action, CardStatus, StudentStatus
from ..core.outcomes import Failed
from ..core.plan import Plan, plan_for_ids
from ..core.text import C_, _
from .common import (
    EXIT_FAILED,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_RECORDS,
    EXIT_USAGE,
    Context,
    UsageError,
    connected,
    write_error,
)
from .output import summary_line, write_job, write_job_list, write_students
from .output import wait_line as output_wait_line
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
                _("无法识别的{what}：{text}（可用：{value}）").format(
                    what=what, text=text, value=_('、').join(names)))
        return found
    return parse


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_("不是整数：{text}").format(text=text)) from None
    if value < 1:
        raise argparse.ArgumentTypeError(_("必须大于 0：{text}").format(text=text))
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="campuscard-cli", description=_("校园一卡通批量开通、冻结、解冻、注销"))
    parser.add_argument("--profile", metavar="NAME", help=_("使用的配置（默认：local）"))
    parser.add_argument("--lang", choices=messages.LANGUAGES,
                        help=_("输出的语言（默认：设置中的语言，否则按系统区域设置；C 区域为英文"
                               "）"))
    parser.add_argument("--version", action="version", version=f"campuscard-cli {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    students = sub.add_parser("students", help=_("列出学生及其一卡通状态"))
    students.add_argument("--status", type=_choice(STUDENT_STATUS_NAMES, _("学籍状态")),
                          help=_("学籍状态：在读/休学/退学/毕业 或 enrolled/suspended/…"))
    students.add_argument("--card", type=_choice(CARD_STATUS_NAMES, _("卡状态")),
                          help=_("卡状态：未开通/正常/冻结/注销 或 none/active/frozen/cancelled"))
    students.add_argument("--format", choices=("table", "csv", "json"), default="table")
    students.add_argument("--fresh", action="store_true",
                          help=_("完整读取学生列表，不从本机快照增量刷新"))
    students.set_defaults(handler=cmd_students)

    for action in Action:
        p = sub.add_parser(action.value, help=action.label)
        p.add_argument("--ids", required=True, metavar="FILE|-",
                       help=_("每行一个学号的 UTF-8 文本文件；- 表示从标准输入读取"))
        p.add_argument("--yes", "-y", action="store_true", help=_("不再询问，直接执行"))
        if action is Action.OPEN:
            p.add_argument("--allow-non-enrolled", action="store_true",
                           help=_("也为学籍状态不是“在读”的学生开通"))
        p.add_argument("--format", choices=("table", "json"), default="table")
        p.set_defaults(handler=cmd_action, action=action)

    jobs = sub.add_parser("jobs", help=_("任务历史"))
    jobs_sub = jobs.add_subparsers(dest="jobs_command", required=True,
                                   metavar="list|show|resume|discard")
    jl = jobs_sub.add_parser("list", help=_("列出任务（最新在前）"))
    jl.add_argument("--limit", type=_positive_int, default=50)
    jl.add_argument("--format", choices=("table", "json"), default="table")
    jl.set_defaults(handler=cmd_jobs_list)
    for name, handler, text in (("show", cmd_jobs_show, _("显示任务的每条记录")),
                                ("resume", cmd_jobs_resume, _("继续未完成的任务")),
                                ("discard", cmd_jobs_discard, _("放弃未完成的任务：已发送的先到后台"
                                                                "核对，其余记为已取消，不再发送"))):
        jp = jobs_sub.add_parser(name, help=text)
        jp.add_argument("job_id", type=_positive_int, metavar="ID")
        jp.add_argument("--format", default="table",
                        choices=("table", "csv", "json") if name == "show" else ("table", "json"))
        if name == "discard":
            jp.add_argument("--yes", "-y", action="store_true", help=_("不再询问，直接放弃"))
        if name in ("resume", "discard"):
            jp.add_argument("--take-over", action="store_true",
                            help=_("接管另一台电脑（或改名前的本机）占用的任务；请先确认它已不再运"
                                   "行"))
        jp.set_defaults(handler=handler)

    local = sub.add_parser("local", help=_("本地数据库（local 类型的配置）"))
    local_sub = local.add_subparsers(dest="local_command", required=True, metavar="init|import")
    li = local_sub.add_parser("init", help=_("生成演示数据"))
    li.add_argument("--students", type=_positive_int, required=True, metavar="N")
    li.add_argument("--seed", type=int, default=1, metavar="S")
    li.add_argument("--force", action="store_true", help=_("覆盖已有的数据库"))
    li.set_defaults(handler=_local_handler("init"))
    lm = local_sub.add_parser("import", help=_("从 CSV/XLSX 导入学生"))
    lm.add_argument("file", metavar="FILE")
    lm.add_argument("--map", action="append", default=[], metavar="field=COLUMN",
                    help=_("指定列：字段（student_no/name/college/class_name/status）=列名或列号"))
    lm.add_argument("--yes", "-y", action="store_true")
    lm.add_argument("--max-rows", type=_positive_int, default=None, metavar="N",
                    help=_("最多导入的数据行数（默认 200000）"))
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
    """The students as the window lists them: a remote profile's kept snapshot brought up to
    date where the backend can tell what changed (``batch.listing``), else read in full;
    ``--fresh`` always reads in full. The result is kept for the next time either way."""
    profile = ctx.profile()
    with connected(ctx, profile) as connector:
        store = SnapshotStore(ctx.paths.data_dir) if profile.kind != "local" else None
        rows = list_students(connector, store, profile.name, fresh=args.fresh).rows
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
        where = _("标准输入")
    else:
        try:
            with open(source, "rb") as fh:
                data = fh.read()
        except FileNotFoundError:
            raise UsageError(_("学号文件不存在：{source}").format(source=source)) from None
        except IsADirectoryError:
            raise UsageError(_("学号文件是一个目录：{source}").format(source=source)) from None
        except OSError as exc:
            raise UsageError(_("学号文件无法读取：{source}（{value}）").format(
                source=source, value=exc.strerror or exc)) from None
        where = _("学号文件 {source}").format(source=source)
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise UsageError(_("{where} 不是 UTF-8 编码的文本").format(where=where)) from None
    else:
        text = data.removeprefix("\ufeff")
    ids = [line.strip() for line in text.splitlines()]
    ids = [i for i in ids if i]
    if not ids:
        raise UsageError(_("{where} 中没有学号").format(where=where))
    return ids


def describe_plan(plan: Plan, profile: str) -> str:
    lines = [_("将对 {total} 名学生执行“{label}”（配置：{profile}）：").format(
        total=plan.total, label=plan.action.label, profile=profile),
             _("  写入：{value}").format(value=len(plan.writes)),
             _("  跳过：{value}").format(value=len(plan.skips))]
    lines += [_("    {text}：{count}").format(
        text=reason.text, count=count) for reason, count in plan.skip_summary()]
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
                raise UsageError(_("需要确认：没有可以询问的终端，请加 --yes 参数直接执行"))
            if not ctx.confirm():
                ctx.say(_("已放弃，没有执行任何操作"))
                return 1
            if action.irreversible:
                typed = ctx.ask(_("注销不可撤销。请输入要注销的记录数（{value}）以确认：").format(
                    value=len(plan.writes)))
                if typed != str(len(plan.writes)):
                    ctx.say(_("输入的数量不符，已放弃，没有执行任何操作"))
                    return 1
        with open_journal(ctx) as journal:
            job_id = journal.create_job(plan, profile=profile.name, operator=current_operator(),
                                        chunk_size=chunk_size_for(connector),
                                        first_chunk=first_chunk_for(connector))
            del rows, plan  # the journal holds the job: 100,000 students' rows are let go
            return run_job(ctx, connector, journal, job_id, args.format)


def run_job(ctx: Context, connector: Connector, journal: Journal, job_id: int, fmt: str,
            *, take_over: bool = False) -> int:
    """Run (or resume) a job with Ctrl-C as its cancel button; print the records."""
    token = CancelToken()
    exit_code = 0
    with _sigint_cancels(token, ctx):
        try:
            info = BatchRunner(connector, journal).run(
                job_id, cancel=token, progress=_progress_printer(ctx), take_over=take_over)
        except JobClaimedError:
            raise  # nothing was done: the message names who holds the job
        except CampusCardError as exc:
            ctx.say(_("错误：{message}").format(message=exc.message))
            info = journal.job(job_id)
            if not info.finished:
                ctx.say(_("任务 {job_id} 未完成，可用 campuscard-cli jobs resume {job_id}"
                          " 继续").format(
                    job_id=job_id))
            exit_code = 1
    write_job(ctx.stdout, info, lambda: journal.iter_records(job_id), fmt)
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
        # every retry wait (a server that is down, a rate limit) and the settle wait, said
        wait = p.wait or (Wait(WaitKind.SETTLE, p.waiting_s) if p.waiting_s > 0 else None)
        if wait is None:
            waiting[0] = False
            return False
        if tty or not waiting[0] or wait.kind is not WaitKind.SETTLE:
            text = output_wait_line(wait)
            ctx.stderr.write("\r" + text + "   " if tty else text + "\n")
            ctx.stderr.flush()
        waiting[0] = wait.kind is WaitKind.SETTLE  # a settle countdown is printed once
        return True

    def show(p: Progress) -> None:
        if wait_line(p) or not tty:
            return
        eta = _("，剩余约 {eta:.0f} 秒").format(eta=p.eta) if p.eta else ""
        ctx.stderr.write("\r" + _("已处理 {done}/{total}（{rate:.0f} 条/秒{eta}）   ").format(
            done=p.done, total=p.total, rate=p.rate, eta=eta))
        if p.done >= p.total:
            ctx.stderr.write("\n")
        ctx.stderr.flush()
    return show


@contextmanager
def _sigint_cancels(token: CancelToken, ctx: Context) -> Iterator[None]:
    """First Ctrl-C: cancel between chunks. Second: the usual KeyboardInterrupt. A process
    started with SIGINT ignored (``nohup``, ``cmd &`` in a script) keeps ignoring it: the
    Ctrl-C typed at that terminal is meant for another program."""
    if threading.current_thread() is not threading.main_thread() \
            or signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        yield
        return

    def on_sigint(signum: int, frame: FrameType | None) -> None:
        if token.is_cancelled:
            raise KeyboardInterrupt
        token.cancel()
        ctx.say(_("\n正在取消：等当前这一批完成后停止（再按一次 Ctrl-C 立即中断）"))

    previous = signal.signal(signal.SIGINT, on_sigint)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


# -- jobs -------------------------------------------------------------------------------------

@contextmanager
def open_journal(ctx: Context) -> Iterator[Journal]:
    """The journal, its notice (moved aside, read-only, …) printed on stderr first."""
    with Journal(ctx.paths.journal_path) as journal:
        if journal.notice:
            ctx.say(_("注意：{notice}").format(notice=journal.notice))
        yield journal


def cmd_jobs_list(args: argparse.Namespace, ctx: Context) -> int:
    problems: list[str] = []
    with open_journal(ctx) as journal:
        write_job_list(ctx.stdout, journal.list_jobs(args.limit, problems), args.format)
    for text in problems:
        ctx.say(_("错误：{text}").format(text=text))
    return 1 if problems else 0


def cmd_jobs_show(args: argparse.Namespace, ctx: Context) -> int:
    with open_journal(ctx) as journal:
        info = _job_or_usage(journal, args.job_id)
        write_job(ctx.stdout, info, lambda: journal.iter_records(info.job_id), args.format)
        bad = _unknown_records(journal.iter_records(info.job_id))
    for text in bad:
        ctx.say(_("错误：{text}").format(text=text))
    return 1 if bad else 0


def _unknown_records(records: Iterable[JobRecord]) -> list[str]:
    return [_("记录 {position}（学号 {student_no}）：{message}").format(
        position=r.position, student_no=r.student_no, message=r.outcome.message) for r in records
            if isinstance(r.outcome, Failed) and r.outcome.code == "unknown_value"]


def cmd_jobs_resume(args: argparse.Namespace, ctx: Context) -> int:
    """Continue an unfinished job on the profile it was created with (not --profile)."""
    with open_journal(ctx) as journal:
        info = _unfinished(journal, args.job_id, _("继续"))
        with _take_over_hint("resume", info.job_id), \
                connected(ctx, ctx.profile(info.profile)) as connector:
            return run_job(ctx, connector, journal, info.job_id, args.format,
                           take_over=args.take_over)


@contextmanager
def _take_over_hint(verb: str, job_id: int) -> Iterator[None]:
    """A claim the program cannot check: say how to take the job over."""
    try:
        yield
    except JobClaimedError as exc:
        if not exc.can_take_over:
            raise
        raise JobClaimedError(
            _("{message}（命令：campuscard-cli jobs {verb} {job_id} --take-over）").format(
                message=exc.message, verb=verb, job_id=job_id),
            exc.holder, can_take_over=True, code=exc.code) from exc


def sent_unknown() -> Failed:
    """The outcome of a record sent but not checked when its job is discarded (in the
    language of the moment: made when it is recorded, not at import)."""
    return Failed("unconfirmed", _("已发送，结果未知：放弃任务时无法到后台核对，"
                                   "可能已经写入，请在后台核对该学生的卡"))


def cmd_jobs_discard(args: argparse.Namespace, ctx: Context) -> int:
    """Give up an unfinished job. Records never sent become 已取消. Records of chunks that
    were sent may have been written: they are read back on the job's profile first (what was
    applied counts as 成功); if that cannot be done they are kept as 失败 "已发送，结果未知",
    never as 已取消 (which says: not written)."""
    with open_journal(ctx) as journal:
        info = _unfinished(journal, args.job_id, _("放弃"))
        sent = sum(len(journal.pending_writes(info.job_id, c.seq))
                   for c in journal.chunks(info.job_id) if c.state is ChunkState.SENT)
        if not args.yes:
            ctx.say(_("将放弃任务 {job_id}（{label}，配置：{profile}）：未发送的 {value} 条记为已"
                      "取消，不再发送").format(
                job_id=info.job_id, label=info.action.label, profile=info.profile,
                value=info.pending - sent)
                    + (_("；已发送但结果未知的 {sent} 条先到后台核对").format(
                        sent=sent) if sent else ""))
            if not ctx.interactive():
                raise UsageError(_("需要确认：没有可以询问的终端，请加 --yes 参数直接放弃"))
            if not ctx.confirm():
                ctx.say(_("已放弃操作，任务保持未完成"))
                return 1
        with _take_over_hint("discard", info.job_id):
            return _discard(ctx, journal, info, sent, args)


def _discard(ctx: Context, journal: Journal, info: JobInfo, sent: int,
             args: argparse.Namespace) -> int:
    if sent:
        try:
            with connected(ctx, ctx.profile(info.profile)) as connector:
                token = CancelToken()
                token.cancel()  # a cancelled run sends nothing: it reads back, then cancels
                BatchRunner(connector, journal).run(
                    info.job_id, cancel=token, progress=_progress_printer(ctx),
                    take_over=args.take_over)
        except JobClaimedError:
            raise
        except CampusCardError as exc:
            ctx.say(_("无法到后台核对已发送的记录（{message}）").format(message=exc.message))
    if not journal.job(info.job_id).finished:  # nothing sent, or no read-back was possible
        journal.discard_unchecked(info.job_id, sent_unknown(), take_over=args.take_over)
    info = journal.job(info.job_id)
    write_job(ctx.stdout, info, lambda: journal.iter_records(info.job_id), args.format)
    marker = sent_unknown()
    unknown = [r for r in journal.iter_records(info.job_id) if r.outcome == marker]
    ctx.say(_("任务 {job_id} 已放弃").format(job_id=info.job_id) + (
        _("；{unknown} 条已发送但结果未知，请在后台核对").format(
            unknown=len(unknown)) if unknown else ""))
    return 1 if unknown else 0


def _unfinished(journal: Journal, job_id: int, verb: str) -> JobInfo:
    info = _job_or_usage(journal, job_id)
    if info.finished:
        state = C_("job", "已完成") if info.state is JobState.DONE else C_("job", "已取消")
        raise UsageError(_("任务 {job_id} {state}，不能{verb}").format(
            job_id=info.job_id, state=state, verb=verb))
    journal.check_readable(info.job_id)  # a job with unknown values is not touched
    journal.check_writable()  # before connecting: a read-only journal cannot run a job
    return info


def _job_or_usage(journal: Journal, job_id: int) -> JobInfo:
    try:
        return journal.job(job_id)
    except CampusCardError as exc:
        if exc.code != "no_such_job":
            raise
        raise UsageError(exc.message) from exc


# -- entry point ------------------------------------------------------------------------------

def main(argv: Sequence[str] | None = None,
         credentials: CredentialStore | None = None) -> int:
    """``credentials``: where secrets are read and written (None: the OS keyring). Files and
    folders made during the call are private (POSIX umask 077; the caller's umask returns)."""
    with private_files():
        return _main(list(sys.argv[1:] if argv is None else argv), credentials)


def choose_language(argv: Sequence[str]) -> str:
    """Install the language the CLI speaks: ``--lang`` (before the command), else the
    ``language`` setting, else the system locale's (C and POSIX: English). Done before the
    parser is built, so that ``--help`` speaks it too."""
    requested = None
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            requested = argv[i + 1]
        elif arg.startswith("--lang="):
            requested = arg.split("=", 1)[1]
        elif not arg.startswith("-"):
            break  # the command: what follows is its own
    setting = None
    if requested not in messages.LANGUAGES:
        try:
            setting = ConfigStore(Paths.from_env()).load_settings().language
        except (CampusCardError, OSError):  # said again, in the language chosen, if it matters
            setting = None
    return messages.install(messages.choose(
        requested if requested in messages.LANGUAGES else None, setting))


def _main(argv: list[str], credentials: CredentialStore | None) -> int:
    choose_language(argv)
    parser = build_parser()
    said = io.StringIO()
    try:
        with redirect_stderr(said):
            args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse: --help (0) or a usage error (2)
        sys.stderr.write(said.getvalue())
        code = exc.code if isinstance(exc.code, int) else EXIT_USAGE
        if code != EXIT_OK and _wants_json(argv):
            lines = said.getvalue().strip().splitlines() or [_("命令行参数有误")]
            write_error(sys.stdout, "usage", lines[-1].split(" error: ", 1)[-1])
        return code
    sys.stderr.write(said.getvalue())
    _utf8_stdout()
    paths = Paths.from_env()
    paths.tighten()  # what an older version left readable by other users
    ctx = Context(paths, ConfigStore(paths), args.profile,
                  sys.stdin, sys.stdout, sys.stderr, credentials)
    as_json = getattr(args, "format", None) == "json"

    def failed(exit_code: int, code: str, message: str) -> int:
        ctx.say(_("错误：{message}").format(message=message))
        if as_json:
            write_error(ctx.stdout, code, message)
        return exit_code

    try:
        result: int = args.handler(args, ctx)
        return result
    except (UsageError, ConfigError, ImportFileError) as exc:
        return failed(EXIT_USAGE, exc.code, exc.message)
    except CampusCardError as exc:  # profiles …: exit 1 as documented before exit 3 existed
        return failed(EXIT_RECORDS if args.command == "profiles" else EXIT_FAILED,
                      exc.code, exc.message)
    except KeyboardInterrupt:
        ctx.say(_("\n已中断"))
        if as_json:
            write_error(ctx.stdout, "interrupted", _("已中断"))
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # the reader went away (… | head): stop quietly
        _silence_stdout()
        return EXIT_RECORDS


def _wants_json(argv: Sequence[str]) -> bool:
    """Whether the command line asks for ``--format json`` (read before argparse could)."""
    pairs = zip(argv, [*argv[1:], ""], strict=True)
    return any(a == "--format=json" or (a == "--format" and b == "json") for a, b in pairs)


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
