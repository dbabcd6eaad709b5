"""Take a screenshot of the profile dialog (管理配置…) with a remote profile filled in.

    python tools/screenshot_profiles.py docs/profile-dialog-kintone.png [--kind kintone]
    python tools/screenshot_profiles.py docs/profile-dialog.png --kind jiandaoyun
    python tools/screenshot_profiles.py docs/profile-dialog-shenbi.png --kind shenbi
    python tools/screenshot_profiles.py /tmp/profile-dialog-ipaas.png --kind ipaas --lang en

Starts the kind's sandbox on loopback, opens the dialog in a throwaway config dir with an
in-memory keyring (the tests' one: nothing reaches the real keyring), types a new profile in,
reads the fields (where the backend lists them: not 神笔, whose field keys are typed), saves
it, reads the fields again and runs 测试连接 with the stored secrets, and saves a picture of
the dialog (offscreen platform unless QT_QPA_PLATFORM is set). An iPaaS profile reads through a
神笔 profile over the same sandbox, saved first.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from shot_app import start, wait

sys.path.append(str(Path(__file__).resolve().parent.parent / "tests"))  # memory_keyring


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path)
    parser.add_argument("--kind", choices=("kintone", "jiandaoyun", "shenbi", "ipaas"),
                        default="kintone")
    parser.add_argument("--lang", default="zh_CN")
    args = parser.parse_args()
    app, paths = start(args.lang)

    from memory_keyring import MemoryKeyring

    from campuscard_gui.config import ConfigStore, Profile
    from campuscard_gui.config.credentials import CredentialStore
    from campuscard_gui.sandbox import run_sandbox
    from campuscard_gui.ui.profiles.profile_dialog import ProfileDialog

    with run_sandbox(backend=args.kind, students=50, seed=3) as sb:
        credentials = CredentialStore(MemoryKeyring())
        if args.kind == "ipaas":  # the 神笔 profile it reads through
            ConfigStore(paths).save_profile(Profile("shenbi-school", "shenbi", {
                "base_url": sb.base_url, "app_code": sb.app_code,
                "students_object": sb.students_object, "cards_object": sb.cards_object}))
            credentials.set("shenbi-school", sb.secret_id, "secret_id")
            credentials.set("shenbi-school", sb.secret_key, "secret_key")
        dialog = ProfileDialog(ConfigStore(paths), credentials, paths)
        dialog.resize(1080, 700)  # as on a 1366×768 screen (the README shows a small desktop)
        dialog.show()
        dialog.new_profile()
        dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData(args.kind))
        editor = dialog.editor
        values = {"name_edit": f"{args.kind}-school", "base_url_edit": sb.base_url}
        if args.kind == "kintone":
            values.update(students_app_edit=sb.students_app, cards_app_edit=sb.cards_app,
                          students_token_edit=sb.students_token, cards_token_edit=sb.cards_token)
        elif args.kind == "ipaas":
            values.update(base_url_edit=sb.gateway_url)
            if sb.gateway_token:
                values.update(token_header_edit="X-Gateway-Token",
                              gateway_token_edit=sb.gateway_token)
            editor.read_profile_combo.setCurrentIndex(
                editor.read_profile_combo.findData("shenbi-school"))
        elif args.kind == "shenbi":
            values.update(app_code_edit=sb.app_code, students_object_edit=sb.students_object,
                          cards_object_edit=sb.cards_object, secret_id_edit=sb.secret_id,
                          secret_key_edit=sb.secret_key)
        else:
            values.update(app_id_edit=sb.app_id, students_entry_edit=sb.students_entry_id,
                          cards_entry_edit=sb.cards_entry_id, api_key_edit=sb.api_key)
        for attribute, text in values.items():
            getattr(editor, attribute).setText(text)
        reads = editor.load_fields_button.isVisibleTo(dialog)  # 神笔's keys are typed
        if reads:
            editor.load_fields()
            wait(editor.fieldsLoaded)
        dialog.save()
        wait(dialog.profileSaved)
        wait(editor.keyStateChanged)  # the placeholders say the secrets are stored
        if reads:  # again, with the stored secrets: the fields show their labels
            editor.load_fields()
            wait(editor.fieldsLoaded)
        editor.test_connection()
        wait(editor.connectionChecked)
        for _ in range(5):
            app.processEvents()
        args.out.parent.mkdir(parents=True, exist_ok=True)
        ok = dialog.grab().save(str(args.out))
        print(f"saved {args.out}" if ok else "could not save", file=sys.stderr)
        dialog.close()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
