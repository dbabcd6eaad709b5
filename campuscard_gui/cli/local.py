"""``campuscard-cli local init|import``: the local (SQLite) backend's own commands."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..backends.factory import local_database_path
from ..backends.local.connector import LocalConnector, init_demo, init_empty
from ..config import Profile
from ..core.text import _
from ..importing import (
    DEFAULT_LIMITS,
    FIELD_KEYS,
    FIELDS,
    ImportLimits,
    RowLimitError,
    Table,
    guess_mapping,
    map_rows,
    read_table,
)
from .common import Context, UsageError
from .output import terminal_text


def _local_profile(ctx: Context) -> Profile:
    profile = ctx.profile()
    if profile.kind != "local":
        raise UsageError(_("配置“{name}”不是本地数据库（类型：{kind}）").format(
            name=profile.name, kind=profile.kind))
    return profile


def cmd_init(args: argparse.Namespace, ctx: Context) -> int:
    profile = _local_profile(ctx)
    db = local_database_path(profile, ctx.paths)  # a shared file when the profile names one
    if db.exists() and not args.force:
        raise UsageError(_("数据库文件已存在：{db}（如需覆盖，请加 --force）").format(db=db))
    init_demo(db, args.students, seed=args.seed, force=args.force)
    ctx.say(_("已生成演示数据：{students} 名学生（种子 {seed}）→ {db}").format(
        students=args.students, seed=args.seed, db=db))
    return 0


def parse_map(specs: list[str], table: Table) -> dict[str, int | None]:
    """``field=COLUMN`` overrides on top of the guessed mapping; COLUMN is a header name or a
    1-based column number."""
    mapping = guess_mapping(table.headers)
    explicit: set[str] = set()
    for spec in specs:
        key, sep, column = spec.partition("=")
        key, column = key.strip(), column.strip()
        if not sep or not key:
            raise UsageError(_("--map 的格式应为 字段=列名：{spec}").format(spec=spec))
        if key == "class":
            key = "class_name"
        if key not in FIELD_KEYS:
            raise UsageError(_("未知的字段：{key}（可用：{value}）").format(
                key=key, value=_('、').join(FIELD_KEYS)))
        if column == "":
            mapping[key] = None
        elif column in table.headers:
            mapping[key] = table.headers.index(column)
        elif column.isdigit() and 1 <= int(column) <= len(table.headers):
            mapping[key] = int(column) - 1
        else:
            raise UsageError(_("文件中没有列“{column}”（有：{value}）").format(
                column=column, value=_('、').join(table.headers)))
        explicit.add(key)
        for other, col in mapping.items():  # a guess yields to an explicit choice
            if other not in explicit and col is not None and col == mapping[key]:
                mapping[other] = None
    return mapping


def cmd_import(args: argparse.Namespace, ctx: Context) -> int:
    profile = _local_profile(ctx)
    path = Path(args.file)
    if not path.is_file():
        raise UsageError(_("文件不存在：{value}").format(value=terminal_text(str(path))))
    max_rows = getattr(args, "max_rows", None)
    limits = ImportLimits(max_rows=max_rows) if max_rows else DEFAULT_LIMITS
    try:
        table = read_table(path, limits)  # ImportFileError (exit 2) for an unusable file
    except RowLimitError as exc:
        raise RowLimitError(_("{message}；或用 --max-rows 提高上限").format(
            message=exc.message), limit=exc.limit) from exc
    mapping = parse_map(args.map, table)
    result = map_rows(table, mapping)  # ImportFileError (exit 2) if a required column is missing
    if result.errors:
        for error in result.errors:  # a reason quotes the file: shown escaped
            ctx.say(_("第{row}行：{value}").format(
                row=error.row, value=terminal_text(error.reason)))
        ctx.say(_("共 {value} 行有问题，没有导入任何学生；请修改文件后重试").format(
            value=len(result.errors)))
        return 1
    db = local_database_path(profile, ctx.paths)  # a shared file when the profile names one
    labels = {f.key: f.label for f in FIELDS}
    used = _("，").join(f"{labels[k]}=“{terminal_text(table.headers[c])}”"
                    for k, c in mapping.items() if c is not None)
    ctx.say(_("将把 {value} 名学生导入 {db}（{used}）").format(
        value=len(result.students), db=db, used=used))
    if not args.yes:
        if not ctx.interactive():
            raise UsageError(_("需要确认：没有可以询问的终端，请加 --yes 参数直接执行"))
        if not ctx.confirm():
            ctx.say(_("已放弃，没有导入任何学生"))
            return 1
    if not db.exists():
        init_empty(db)  # imported students go into a real (non-demo) data set
    connector = LocalConnector(db)
    try:
        summary = connector.import_students(result.students)
    finally:
        connector.close()
    ctx.say(_("导入完成：新增 {added}，更新 {updated}，未变 {unchanged}").format(
        added=summary.added, updated=summary.updated, unchanged=summary.unchanged))
    return 0
