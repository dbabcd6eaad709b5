"""The main window (design.md §7): toolbar, filter bar, student table, results area, status bar.

Collaborators come in through the constructor (no globals): the config store, the credential
store (the OS keyring, for remote profiles), the connector factory and the journal. Opening a
profile and listing its students run off the GUI thread (``StudentLoader``); the card actions
and what they start — plan, confirm, run, retry, history, resume, import — live in
``main_actions.ActionFlow``; 管理配置… opens the ``ProfileDialog``.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QDateTime, QLocale, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QSplitter,
    QStyle,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from ...batch import Journal
from ...config.credentials import CredentialStore
from ...config.paths import Paths
from ...config.settings import LOCAL_PROFILE, ConfigStore
from ...config.snapshots import Snapshot, SnapshotStore
from ...connectors.base import Connector, LocalDatabase
from ...core.errors import CampusCardError
from ...core.model import CardStatus, StudentRow, StudentStatus
from ..heap import settle_after_load
from ..importing.template import TemplateSaver
from ..jobs.results_actions import select_students
from ..jobs.results_panel import ResultsPanel
from ..labels import fill
from ..profiles.profile_dialog import ProfileDialog
from ..screen_fit import fit_inside_screen
from ..students.filter_bar import FilterBar
from ..students.student_loader import ConnectorFactory, StudentLoader
from ..students.student_model import StudentTableModel
from ..students.student_view import StudentTableView
from ..workers import error_message, run_in_thread, wait_for_workers
from .first_start import FirstStartBanner, ask_and_reset, built_in_database
from .help_dialog import HelpDialog, open_help
from .layout_memory import (
    apply_profile_layout,
    capture_profile_layout,
    capture_window,
    restore_window,
)
from .main_actions import ActionFlow, Collaborators, with_shortcut
from .profile_flow import ProfileFlow
from .status_area import StatusArea

log = logging.getLogger(__name__)

class MainWindow(QMainWindow):
    """The main window. ``connector``, when given, is the startup profile's connector already
    opened (app.py opens the local one to report errors early); otherwise it opens off-thread.
    ``credentials`` is the keyring the profile dialog saves API keys to (default: the OS's)."""

    rowsLoaded = Signal(int)  # the table holds this many students (after every load)
    loadFailed = Signal(str)
    profileDialogOpened = Signal(object)  # the ProfileDialog just opened (window-modal)
    keyringChecked = Signal(bool)  # whether a usable keyring backend exists (start-up check)

    def __init__(
        self,
        config_store: ConfigStore,
        paths: Paths,
        connector_factory: ConnectorFactory,
        journal: Journal,
        *,
        profile: str | None = None,
        connector: Connector | None = None,
        offer_resume: bool = True,
        credentials: CredentialStore | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.setWindowTitle(self.tr("Campus Card Batch Manager"))
        self.config_store = config_store
        self.credentials = credentials if credentials is not None else CredentialStore()
        self.paths = paths
        self.profiles = ProfileFlow(self, config_store, paths, self.credentials, self)
        self.journal = journal
        self.first_start = not paths.settings_path.exists()
        self.settings = config_store.load_settings()
        # the size and place it was left at when they fit this screen, else the default inside
        # it (a 1280×720 screen shows the status bar too)
        if not restore_window(self, self.settings.window):
            fit_inside_screen(self, 1280, 800)
        # the status bar (status_area.py): counts, loading, notices, messages kept
        self.status_area = StatusArea(self)
        self.messages = self.status_area.messages
        self.message_button = self.status_area.message_button
        self.rows_label = self.status_area.rows_label
        self.selected_label = self.status_area.selected_label
        self.connection_label = self.status_area.connection_label
        self.demo_badge = self.status_area.demo_badge
        self.load_progress = self.status_area.load_progress
        self.load_count_label = self.status_area.load_count_label
        self.keyring_label = self.status_area.keyring_label
        self.help_dialog: HelpDialog | None = None
        self._demo_db: Path | None = None  # the built-in local database, when that is open
        self.profile_name = profile or self.settings.default_profile
        self.connector: Connector | None = None
        self._opening = self.profile_name  # the profile the next opened connector is for
        self._offer_resume = offer_resume
        self._closing = False
        self._resetting = False

        self.model = StudentTableModel(self)
        # the last listing of each remote profile, shown at once while the fresh one runs,
        # and refreshed by the loader where the backend can tell what changed
        self.snapshots = SnapshotStore(paths.data_dir)
        self.loader = StudentLoader(connector_factory, self, self.snapshots)
        self.table = StudentTableView(self.model, self)
        self.filter_bar = FilterBar(self)
        self.results = ResultsPanel(journal, self)
        self.flow = ActionFlow(self, Collaborators(self.results, self.model, journal,
                                                   config_store, paths), self)
        self.flow.offers_resume = offer_resume
        self.card_actions = self.flow.card_actions
        self._build_actions()
        self._build_toolbar_and_menus()
        self._set_state(self.tr("connecting…"))
        self.table.set_context_actions(
            [*self.card_actions.values(), None, self.select_all_action, self.copy_nos_action])

        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(6, 6, 6, 0)
        self.first_start_banner = FirstStartBanner(central)
        self.first_start_banner.setVisible(self.first_start)
        layout.addWidget(self.first_start_banner)
        layout.addWidget(self.filter_bar)
        # Rows that could not be refreshed stay, said plainly above them (not by colour alone:
        # the text says it) until a refresh succeeds; the confirmation repeats it.
        self.stale_banner = QLabel(central)
        self.stale_banner.setObjectName("staleBanner")
        self.stale_banner.setWordWrap(True)
        self.stale_banner.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.stale_banner.setStyleSheet(
            "QLabel { background: #fff4e5; color: #663c00; border: 1px solid #ffb74d;"
            " border-radius: 3px; padding: 4px 8px; }")
        self.stale_banner.hide()
        self._loaded_at: QDateTime | None = None
        self.showing_snapshot = False
        layout.addWidget(self.stale_banner)
        splitter = QSplitter(Qt.Orientation.Vertical, central)
        splitter.setObjectName("mainSplitter")
        splitter.addWidget(self.table)
        splitter.addWidget(self.results)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)
        self.splitter = splitter
        layout.addWidget(splitter, 1)
        self.setCentralWidget(central)

        self.filter_bar.filterChanged.connect(self._on_filter_changed)
        self.filter_bar.selectAllRequested.connect(self.select_all_filtered)
        self.filter_bar.tableRequested.connect(self.table.enter_from_search)
        self.table.selectionModel().selectionChanged.connect(self._on_rows_changed)
        self.model.modelReset.connect(self._on_rows_changed)
        self.model.layoutChanged.connect(self._on_rows_changed)
        self.flow.busyChanged.connect(self.update_actions)
        self.flow.busyChanged.connect(self.profiles.reopen_if_pending)
        self.flow.statusMessage.connect(self._show_status)
        self.results.selectStudentsRequested.connect(
            lambda nos: self._show_status(select_students(self.table, nos), 10_000))
        self.flow.statusCleared.connect(self.statusBar().clearMessage)
        self.flow.reloadRequested.connect(self.reload)
        self.flow.actionsChanged.connect(self.update_actions)
        self.flow.switchRequested.connect(self.switch_profile)
        self.rowsLoaded.connect(self.flow.rows_loaded)
        self.loadFailed.connect(self.flow.load_failed)
        self.profiles.keyringChecked.connect(self.keyringChecked)
        self.profiles.dialogOpened.connect(self.profileDialogOpened)
        self.profiles.keyringProblemChanged.connect(self._show_keyring_problem)
        self.profiles.currentProfileRemoved.connect(self._on_current_profile_removed)
        self.profiles.profilesChanged.connect(self.fill_profiles)
        self.profiles.reopenRequested.connect(self.open_profile)
        self.loader.snapshotLoaded.connect(self._on_snapshot)
        self.loader.opened.connect(self._on_opened)
        self.loader.loaded.connect(self._on_loaded)
        self.loader.failed.connect(self._on_load_failed)
        self.loader.busyChanged.connect(self._on_loading_changed)
        self.loader.progress.connect(self._on_load_progress)
        self.table.set_empty_hint(self.tr("Loading students…"))
        self._apply_layout(self.profile_name)
        self._on_rows_changed()
        self.profiles.check_keyring()
        if connector is not None:
            self._on_opened(connector)
            self.reload()
        else:
            self.open_profile(self.profile_name)

    # ---- construction ----------------------------------------------------------------------

    def _action(self, name: str, text: str, tip: str, shortcut: QKeySequence | None = None,
                icon: QStyle.StandardPixmap | None = None) -> QAction:
        qa = QAction(text, self)
        qa.setObjectName(name)
        if icon is not None:
            qa.setIcon(self.style().standardIcon(icon))
        if shortcut is not None:
            qa.setShortcut(shortcut)
        qa.setToolTip(with_shortcut(tip, qa))
        qa.setStatusTip(tip)
        return qa

    def _build_actions(self) -> None:
        sp = QStyle.StandardPixmap
        self.profiles_action = self._action(
            "profilesAction", self.tr("Manage profiles…"),
            self.tr("Set up backends (Jiandaoyun, kintone, Shenbi, iPaaS), their secrets and "
                    "field mapping"),
            QKeySequence("Ctrl+Shift+P"), sp.SP_FileDialogContentsView)
        self.profiles_action.triggered.connect(self.profiles.open_dialog)
        self.refresh_action = self._action(
            "refreshAction", self.tr("Refresh"), self.tr("Reload the students"),
            QKeySequence(QKeySequence.StandardKey.Refresh), sp.SP_BrowserReload)
        self.refresh_action.triggered.connect(self.reload)
        self.import_action = self._action(
            "importStudentsAction", self.tr("Import students…"),
            self.tr("Import students from a CSV or Excel file (local database only)"),
            QKeySequence("Ctrl+I"), sp.SP_DialogOpenButton)
        self.import_action.triggered.connect(self.flow.open_import_dialog)
        self.template_action = self._action(
            "saveImportTemplateAction", self.tr("Save import template…"),
            self.tr("Save a CSV or Excel file with the columns the import expects and an "
                    "example row"))
        self.template_saver = TemplateSaver(self)
        self.template_saver.saved.connect(
            lambda path: self.say(self.tr("Import template saved to %1").replace("%1", path)))
        self.template_action.triggered.connect(self.template_saver.ask)
        self.history_action = self._action(
            "historyAction", self.tr("History"), self.tr("Past jobs and their results"),
            QKeySequence("Ctrl+H"), sp.SP_FileDialogDetailedView)
        self.history_action.triggered.connect(self.flow.open_history)
        self.allow_non_enrolled_action = self._action(
            "allowNonEnrolledAction", self.tr("Allow opening cards for non-enrolled students"),
            self.tr("When on, Open card also opens cards for suspended, withdrawn or "
                    "graduated students"))
        self.allow_non_enrolled_action.setCheckable(True)
        self.allow_non_enrolled_action.setChecked(self.settings.allow_open_non_enrolled)
        self.allow_non_enrolled_action.toggled.connect(self._on_allow_toggled)
        self.select_all_action = self._action(
            "selectAllFilteredAction", self.tr("Select all filtered"),
            self.tr("Select every row the filter shows"))
        self.select_all_action.triggered.connect(self.select_all_filtered)
        self.copy_nos_action = self._action(
            "copyStudentNosAction", self.tr("Copy student numbers"),
            self.tr("Copy the selected student numbers, one per line"))
        self.copy_nos_action.triggered.connect(self.table.copy_student_numbers)
        self.quit_action = self._action("quitAction", self.tr("Quit"), self.tr("Quit"),
                                        QKeySequence(QKeySequence.StandardKey.Quit))
        self.quit_action.triggered.connect(self.close)
        self.help_action = self._action(
            "helpAction", self.tr("About and getting started…"),
            self.tr("The version, how to begin, the keys and where things are kept"),
            QKeySequence(QKeySequence.StandardKey.HelpContents))
        self.help_action.triggered.connect(self.open_help)
        self.messages_action = self._action(
            "messagesAction", self.tr("Messages…"),
            self.tr("The status bar's messages of this session, whole"),
            QKeySequence("Ctrl+Shift+M"))
        self.messages_action.triggered.connect(self.message_button.open_dialog)
        self.reset_demo_action = self._action(
            "resetDemoAction", self.tr("Reset demo school…"),
            self.tr("Build the demo school again as on the first start (built-in local "
                    "profile only)"))
        self.reset_demo_action.triggered.connect(self.reset_demo_school)
        self.clear_snapshots_action = self._action(
            "clearSnapshotsAction", self.tr("Clear kept snapshots"),
            self.tr("Remove the students' lists kept on this computer to open remote profiles "
                    "at once (personal data; the next opening lists everything again)"))
        self.clear_snapshots_action.triggered.connect(self.clear_snapshots)
        for qa in (self.refresh_action, self.import_action, self.history_action,
                   self.profiles_action, self.help_action, self.messages_action):
            self.addAction(qa)

    def _build_toolbar_and_menus(self) -> None:
        toolbar = QToolBar(self.tr("Main toolbar"), self)
        toolbar.setObjectName("mainToolBar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.addToolBar(toolbar)
        profile_label = QLabel(self.tr("Profile:"), self)
        self.profile_combo = QComboBox(self)
        self.profile_combo.setObjectName("profileCombo")
        self.profile_combo.setAccessibleName(self.tr("Profile"))
        self.profile_combo.setToolTip(self.tr("The backend to work on; switching reloads"))
        self.profile_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        profile_label.setBuddy(self.profile_combo)
        self.fill_profiles()
        self.profile_combo.activated.connect(self._on_profile_activated)
        toolbar.addWidget(profile_label)
        toolbar.addWidget(self.profile_combo)
        toolbar.addAction(self.profiles_action)
        toolbar.addAction(self.refresh_action)
        toolbar.addSeparator()
        toolbar.addActions(list(self.card_actions.values()))
        toolbar.addSeparator()
        toolbar.addAction(self.import_action)
        toolbar.addAction(self.history_action)

        bar = self.menuBar()
        menus = (
            ("fileMenu", self.tr("&File"),
             [self.profiles_action, None, self.import_action, self.template_action,
              self.reset_demo_action, self.clear_snapshots_action, None,
              self.quit_action]),
            ("cardsMenu", self.tr("&Cards"),
             [*self.card_actions.values(), None, self.allow_non_enrolled_action]),
            ("viewMenu", self.tr("&View"),
             [self.refresh_action, self.select_all_action, self.history_action,
              self.messages_action]),
            ("helpMenu", self.tr("&Help"), [self.help_action]),
        )
        for name, title, actions in menus:
            menu = bar.addMenu(title)
            menu.setObjectName(name)
            for qa in actions:
                if qa is None:
                    menu.addSeparator()
                else:
                    menu.addAction(qa)
            if name == "viewMenu":  # the column chooser, also on the table header
                self.columns_menu = QMenu(self.tr("&Columns"), menu)
                self.columns_menu.setObjectName("columnsMenu")
                self.columns_menu.aboutToShow.connect(
                    lambda: self.table.build_column_menu(self.columns_menu))
                menu.addMenu(self.columns_menu)

    def fill_profiles(self) -> None:
        try:
            names = sorted(self.config_store.load_profiles(), key=lambda n: (n != LOCAL_PROFILE, n))
        except CampusCardError as exc:
            log.warning("profiles unreadable: %s", exc.message)
            names = []
        if self.profile_name not in names:
            names.append(self.profile_name)
        self.profile_combo.clear()
        for name in names:
            self.profile_combo.addItem(name, name)
        self.profile_combo.setCurrentIndex(names.index(self.profile_name))

    # ---- profile and loading ---------------------------------------------------------------

    def _set_state(self, text: str, tooltip: str = "") -> None:
        self.status_area.set_connection(self.profile_name, text, tooltip)

    def open_profile(self, name: str) -> None:
        try:
            profile = self.config_store.get_profile(name)
        except CampusCardError as exc:
            self._on_load_failed(exc.message)
            return
        self.profile_name = name
        self._opening = name
        self._set_state(self.tr("connecting…"))
        self.table.set_empty_hint(self.tr("Loading students…"))
        self.loader.open_profile(profile)  # its snapshot first (_on_snapshot), then the list

    @Slot()
    def reload(self) -> None:
        """Load the students again (off the GUI thread); opens the profile if it is not."""
        if self._closing:
            return
        if self.connector is None or (self.flow.profile != self.profile_name
                                      and not self.flow.is_running()):
            # none yet, or the one held is another profile's (a switch that failed)
            self.open_profile(self.profile_name)
            return
        self._set_state(self.tr("loading…"))
        self.table.set_empty_hint(self.tr("Loading students…"))
        self.loader.reload(self.connector, self.profile_name)

    @Slot(object)
    def _on_opened(self, connector: Connector) -> None:
        old, self.connector = self.connector, connector
        if old is not None and old is not connector:
            self.loader.close_later(old)
        self.flow.set_connector(connector, self._opening)
        self._demo_db = (built_in_database(self.config_store, self.paths, self._opening)
                         if connector.local_database() is not None else None)

    def _on_snapshot(self, snapshot: Snapshot | None) -> None:
        """The profile's last listing, shown while the fresh one is read (never over it)."""
        if snapshot is None or snapshot.profile != self._opening \
                or not self.loader.is_busy() or self.model.total_count:
            return
        self.model.set_rows(snapshot.rows)
        self.showing_snapshot = True
        self._loaded_at = QDateTime.fromSecsSinceEpoch(int(snapshot.taken_at))
        self.stale_banner.setText(fill(self.tr(
            "Showing the students as listed at %1 (a snapshot kept on this computer); the "
            "current list is being read."), self._when(self._loaded_at)))
        self.stale_banner.setAccessibleName(self.stale_banner.text())
        self.stale_banner.show()
        self.say(self.stale_banner.text(), 10_000)
        self.update_actions()

    def _when(self, at: QDateTime) -> str:
        if at.date() == QDateTime.currentDateTime().date():
            return QLocale().toString(at.time(), QLocale.FormatType.ShortFormat)
        return QLocale().toString(at, QLocale.FormatType.ShortFormat)

    @Slot()
    def clear_snapshots(self) -> None:
        """文件 ▸ 清除本地快照: remove every profile's kept listing (off the GUI thread)."""
        store = self.snapshots

        def done(removed: int) -> None:
            self.say(self.tr("Snapshots removed: %Ln", "", removed), 10_000)

        run_in_thread(store.clear, done, lambda exc: self.say(error_message(exc)), parent=self)

    @Slot(object, bool)
    def _on_loaded(self, rows: list[StudentRow], demo: bool) -> None:
        # a fresh listing replaces the rows: the selection stays on the same students
        kept = {r.student_no for r in self.table.selected_rows()} \
            if self.table.selectionModel().hasSelection() else set()
        self.model.set_rows(rows)
        if kept:
            self.table.select_students(kept)
        self._loaded_at = QDateTime.currentDateTime()
        self.showing_snapshot = False
        self.stale_banner.hide()
        self.stale_banner.clear()
        # the loader kept a remote profile's rows as its snapshot (batch.listing)
        settle_after_load()  # a job's full GC passes then skip the rows (ui/heap.py)
        self.demo_badge.setVisible(demo)
        # Rows a backend left out (e.g. a 学籍状态 label the field map does not know) are said,
        # not silently dropped: guessing a status could act on the wrong card.
        warnings = list(self.connector.list_warnings) if self.connector is not None else []
        self._set_state(self.tr("connected"), "\n".join(warnings))
        if warnings:
            self.say("；".join(warnings), 60_000)
        self.table.set_empty_hint(self._no_students_hint())
        self.update_actions()
        self.rowsLoaded.emit(len(rows))
        if self._offer_resume:  # this profile's unfinished jobs not offered yet
            QTimer.singleShot(0, self.flow.offer_resume)

    @Slot(str)
    def _on_load_failed(self, message: str) -> None:
        self._set_state(self.tr("not connected"), message)
        if self.model.total_count and self._loaded_at is not None:
            when = self._when(self._loaded_at)
            self.stale_banner.setText(fill(
                self.tr("Showing the data loaded at %1: refreshing failed: %2"), when, message))
            self.stale_banner.setAccessibleName(self.stale_banner.text())
            self.stale_banner.show()
        self.table.set_empty_hint(
            self.tr("The students could not be loaded: %1\n\nRefresh (F5) tries again; "
                    "Manage profiles… (Ctrl+Shift+P) checks the profile.").replace("%1", message))
        self.say(message, 15_000)
        self.update_actions()
        self.loadFailed.emit(message)

    @Slot(bool)
    def _on_loading_changed(self, busy: bool) -> None:
        self.status_area.set_loading(busy)
        self.update_actions()

    @Slot(int, object)
    def _on_load_progress(self, done: int, total: object) -> None:
        self.status_area.set_load_progress(done, total)

    @Slot(int)
    def _on_profile_activated(self, index: int) -> None:
        name = self.profile_combo.itemData(index)
        if not isinstance(name, str) or name == self.profile_name:
            return
        if self.flow.is_busy():
            self.profile_combo.setCurrentIndex(self.profile_combo.findData(self.profile_name))
            return
        self.switch_profile(name)

    def switch_profile(self, name: str) -> None:
        """Make ``name`` the profile worked on: it becomes the default and opens off the GUI
        thread (``rowsLoaded`` or ``loadFailed`` follows), with the layout it was left in.
        Not while a job runs."""
        self.save_layout()
        self.settings.default_profile = name
        self._save_settings()
        self.model.set_rows([])
        self.demo_badge.hide()
        self.stale_banner.hide()  # another profile's rows: nothing stale is shown
        self._apply_layout(name)
        self.open_profile(name)
        if self.profile_combo.findData(self.profile_name) < 0:
            self.fill_profiles()
        self.profile_combo.setCurrentIndex(self.profile_combo.findData(self.profile_name))

    # ---- the layout remembered (layout_memory.py) ------------------------------------------

    def save_layout(self) -> None:
        """Save the window's place and size and the current profile's table layout (merged
        into settings.json as it is on disk: other keys are left as they are there)."""
        self.settings.window = capture_window(self)
        layout = capture_profile_layout(self.table, self.splitter, self.filter_bar)
        self.settings.layouts[self.profile_name] = layout
        try:
            fresh = self.config_store.load_settings()
            fresh.window = self.settings.window
            fresh.layouts[self.profile_name] = layout
            self.config_store.save_settings(fresh)
        except (OSError, CampusCardError) as exc:
            log.warning("layout not saved: %s", exc)

    def _apply_layout(self, profile: str) -> None:
        saved = self.settings.layouts.get(profile)
        if saved is None:  # never laid out: as on the first start
            self.table.reset_columns()
            saved = {"sort": {"column": None}, "filter": {"students": [], "cards": []}}
        apply_profile_layout(self.table, self.splitter, self.filter_bar, saved)

    def _save_settings(self) -> None:
        try:
            self.config_store.save_settings(self.settings)
        except (OSError, CampusCardError) as exc:
            log.warning("settings not saved: %s", exc)

    @Slot(bool)
    def _on_allow_toggled(self, checked: bool) -> None:
        self.settings.allow_open_non_enrolled = checked
        self._save_settings()

    @property
    def profile_dialog(self) -> ProfileDialog | None:
        """The open 管理配置… dialog, if any."""
        return self.profiles.dialog

    @property
    def keyring_problem(self) -> str | None:
        """Why remote profiles cannot be used (no keyring), or None."""
        return self.profiles.keyring_problem

    @Slot()
    def open_profiles_dialog(self) -> None:
        self.profiles.open_dialog()

    @property
    def allow_non_enrolled(self) -> bool:
        return self.allow_non_enrolled_action.isChecked()

    def stale_note(self) -> str | None:
        """What the confirmation says when the rows shown could not be refreshed."""
        return self.stale_banner.text() if self.stale_banner.isVisibleTo(self) else None

    def is_closing(self) -> bool:
        return self._closing

    # ---- what ProfileFlow asks of the window (ProfileHost) and tells it --------------------

    def current_profile(self) -> str:
        return self.profile_name

    # ---- what ActionFlow asks of the window (ActionHost) and tells it ----------------------

    def allows_non_enrolled(self) -> bool:
        return self.allow_non_enrolled

    def local_database(self) -> LocalDatabase | None:
        return self.connector.local_database() if self.connector is not None else None

    @Slot(str, int)
    def _show_status(self, text: str, ms: int) -> None:
        # what the flow shows until it is replaced ("Planning…") is progress, not a message
        self.say(text, ms, keep=ms != 0)

    def say(self, text: str, ms: int = 15_000, *, keep: bool = True) -> None:
        """A status-bar message, also kept in the message log (消息: whole, after it went)."""
        self.status_area.say(text, ms, keep=keep)

    def _no_students_hint(self) -> str:
        if self.connector is not None and self.connector.local_database() is not None:
            return self.tr("No students yet. Import them from a CSV or Excel file: File ▸ "
                           "Import students… (Ctrl+I). Help ▸ About and getting started (F1) "
                           "says how to begin.")
        return self.tr("The backend holds no students. Manage profiles… (Ctrl+Shift+P) "
                       "checks the profile's app and field mapping.")

    @Slot()
    def open_help(self) -> HelpDialog:
        if self.help_dialog is not None:
            self.help_dialog.raise_()
            return self.help_dialog
        self.help_dialog = open_help(self.paths, self)
        self.help_dialog.destroyed.connect(self._help_closed)
        return self.help_dialog

    @Slot()
    def _help_closed(self) -> None:
        self.help_dialog = None

    @Slot()
    def reset_demo_school(self) -> QMessageBox | None:
        """Ask, then build the built-in local database's demo school again (off the GUI
        thread) and load it. Only on the built-in local profile, never while a job runs."""
        db = self._demo_db
        if db is None or self.flow.is_busy() or self.loader.is_busy():
            return None
        name = self.profile_name

        def before() -> None:
            self._resetting = True
            self.update_actions()
            if self.connector is not None:
                self.connector.close()  # no connection left on the file being replaced

        def done() -> None:
            self._resetting = False
            self.say(self.tr("The demo school was built again."), 15_000)
            if not self._closing:
                self.open_profile(name)

        def failed(message: str) -> None:
            self._resetting = False
            self.say(self.tr("The demo school could not be reset: %1").replace("%1", message),
                     30_000)
            self.update_actions()
            self.reload()

        return ask_and_reset(self, db, before=before, done=done, failed=failed)

    def job_busy(self) -> bool:
        return self.flow.is_busy()

    @Slot(bool, str)
    def _show_keyring_problem(self, show: bool, problem: str) -> None:
        self.status_area.set_keyring_problem(show, problem)

    @Slot()
    def _on_current_profile_removed(self) -> None:
        self.profile_name = LOCAL_PROFILE
        self.settings.default_profile = LOCAL_PROFILE  # remove_profile saved it too
        if not self.flow.is_busy():  # a running job keeps its rows until it ends
            self.model.set_rows([])
            self.demo_badge.hide()
            self._apply_layout(LOCAL_PROFILE)

    # ---- filter and selection --------------------------------------------------------------

    @Slot(str, object, object)
    def _on_filter_changed(self, text: str, students: frozenset[StudentStatus],
                           cards: frozenset[CardStatus]) -> None:
        self.model.set_filter(text, students, cards)

    @Slot()
    def select_all_filtered(self) -> None:
        self.table.select_all_filtered()

    def selected_rows(self) -> list[StudentRow]:
        return self.table.selected_rows()

    @Slot()
    def _on_rows_changed(self) -> None:
        self.status_area.set_counts(self.model.visible_count, self.model.total_count,
                                    self.table.selected_count())
        self.update_actions()

    @Slot()
    def update_actions(self) -> None:
        selected = self.table.selectionModel().hasSelection()
        can_write = (selected and self.connector is not None and not self.flow.is_busy()
                     and self.flow.is_open())
        for qa in self.card_actions.values():
            qa.setEnabled(can_write)
        self.copy_nos_action.setEnabled(selected)
        loading = self.loader.is_busy()
        self.import_action.setEnabled(
            not loading and not self.flow.is_busy() and self.flow.is_open()
            and self.connector is not None and self.connector.local_database() is not None)
        self.refresh_action.setEnabled(not loading)
        self.profile_combo.setEnabled(not self.flow.is_busy())
        self.profiles_action.setEnabled(not self._closing)
        self.reset_demo_action.setEnabled(
            self._demo_db is not None and not loading and not self.flow.is_busy()
            and not self._resetting and self.flow.is_open())

    # ---- closing ---------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.flow.is_running():
            answer = QMessageBox.question(
                self, self.windowTitle(),
                self.tr("A job is running. Cancel it and quit? Records not sent yet are "
                        "marked cancelled; what was sent is kept in the journal."),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No)
            if answer != QMessageBox.StandardButton.Yes:
                event.ignore()
                return
        self.save_layout()
        self._closing = True
        if self.profiles.dialog is not None:
            self.profiles.dialog.close()
        self.loader.stop()
        self.flow.shutdown()  # cancels the running job and waits for its thread
        wait_for_workers()
        if self.connector is not None:
            self.connector.close()
        event.accept()
