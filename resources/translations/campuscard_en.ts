<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>ActionFlow</name>
    <message>
        <source>Open card</source>
        <translation>Open card</translation>
    </message>
    <message>
        <source>Open a campus card for the selected students</source>
        <translation>Open a campus card for the selected students</translation>
    </message>
    <message>
        <source>Freeze</source>
        <translation>Freeze</translation>
    </message>
    <message>
        <source>Freeze the cards of the selected students</source>
        <translation>Freeze the cards of the selected students</translation>
    </message>
    <message>
        <source>Unfreeze</source>
        <translation>Unfreeze</translation>
    </message>
    <message>
        <source>Unfreeze the cards of the selected students</source>
        <translation>Unfreeze the cards of the selected students</translation>
    </message>
    <message>
        <source>Cancel card</source>
        <translation>Cancel card</translation>
    </message>
    <message>
        <source>Cancel the cards of the selected students (irreversible)</source>
        <translation>Cancel the cards of the selected students (irreversible)</translation>
    </message>
    <message>
        <source>The profile “%1” is not open yet (it is loading, or it could not be opened). Try again when its students are shown. Nothing was written.</source>
        <translation>The profile “%1” is not open yet (it is loading, or it could not be opened). Try again when its students are shown. Nothing was written.</translation>
    </message>
    <message>
        <source>Job %1 was run on the profile “%2”, which no longer exists. Its failures are never retried on another profile. Nothing was written.</source>
        <translation>Job %1 was run on the profile “%2”, which no longer exists. Its failures are never retried on another profile. Nothing was written.</translation>
    </message>
    <message>
        <source>Job %1 was run on the profile “%2” (%3), not on the profile open now (“%4”). Its failures can only be retried there.

Switch to “%2” and retry? Its students are loaded first, and you confirm before anything is written.</source>
        <translation>Job %1 was run on the profile “%2” (%3), not on the profile open now (“%4”). Its failures can only be retried there.

Switch to “%2” and retry? Its students are loaded first, and you confirm before anything is written.</translation>
    </message>
    <message>
        <source>Switch and retry</source>
        <translation>Switch and retry</translation>
    </message>
    <message>
        <source>Opening the profile “%1” to retry job %2…</source>
        <translation>Opening the profile “%1” to retry job %2…</translation>
    </message>
    <message>
        <source>The profile “%1” is not the one open now; job %2 was not retried. Nothing was written.</source>
        <translation>The profile “%1” is not the one open now; job %2 was not retried. Nothing was written.</translation>
    </message>
    <message>
        <source>The profile “%1” could not be opened: %2

Job %3 was not retried. Nothing was written.</source>
        <translation>The profile “%1” could not be opened: %2

Job %3 was not retried. Nothing was written.</translation>
    </message>
    <message>
        <source>Planning…</source>
        <translation>Planning…</translation>
    </message>
    <message numerus="yes">
        <source>Rows hidden because they no longer match the filter: %Ln</source>
        <translation><numerusform>Rows hidden because they no longer match the filter: %Ln</numerusform><numerusform>Rows hidden because they no longer match the filter: %Ln</numerusform></translation>
    </message>
    <message>
        <source>A job is running; open past jobs when it has finished.</source>
        <translation>A job is running; open past jobs when it has finished.</translation>
    </message>
    <message numerus="yes">
        <source>%n unfinished job(s) of other profiles (%1) will be offered when their profile is opened.</source>
        <translation><numerusform>%n unfinished job of other profiles (%1) will be offered when their profile is opened.</numerusform><numerusform>%n unfinished jobs of other profiles (%1) will be offered when their profile is opened.</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n unfinished job(s) of profiles that no longer exist (%1) cannot be continued.</source>
        <translation><numerusform>%n unfinished job of profiles that no longer exist (%1) cannot be continued.</numerusform><numerusform>%n unfinished jobs of profiles that no longer exist (%1) cannot be continued.</numerusform></translation>
    </message>
    <message>
        <source>Import done: %1 added, %2 updated.</source>
        <translation>Import done: %1 added, %2 updated.</translation>
    </message>
</context>
<context>
    <name>App</name>
    <message>
        <source>no permission to write there</source>
        <translation>no permission to write there</translation>
    </message>
    <message>
        <source>the file system is read-only</source>
        <translation>the file system is read-only</translation>
    </message>
    <message>
        <source>a file is in the way where the folder should be</source>
        <translation>a file is in the way where the folder should be</translation>
    </message>
    <message>
        <source>the disk is full</source>
        <translation>the disk is full</translation>
    </message>
    <message>
        <source>The data folder cannot be used:
%1

Reason: %2.

The job journal and the local database are kept in this folder, so no job can run. Make the folder writable (or set CAMPUSCARD_DATA_DIR to another folder) and start the program again.</source>
        <translation>The data folder cannot be used:
%1

Reason: %2.

The job journal and the local database are kept in this folder, so no job can run. Make the folder writable (or set CAMPUSCARD_DATA_DIR to another folder) and start the program again.</translation>
    </message>
    <message>
        <source>The settings folder cannot be used:
%1

Reason: %2.

Profiles and settings are kept in this folder. Fix the folder (or set CAMPUSCARD_CONFIG_DIR to another folder) and start the program again.</source>
        <translation>The settings folder cannot be used:
%1

Reason: %2.

Profiles and settings are kept in this folder. Fix the folder (or set CAMPUSCARD_CONFIG_DIR to another folder) and start the program again.</translation>
    </message>
    <message>
        <source>The log folder cannot be used:
%1

Reason: %2.

The program works as usual, but its log goes to the standard error output instead of a file until the folder is fixed.</source>
        <translation>The log folder cannot be used:
%1

Reason: %2.

The program works as usual, but its log goes to the standard error output instead of a file until the folder is fixed.</translation>
    </message>
    <message>
        <source>Log folder</source>
        <translation>Log folder</translation>
    </message>
    <message>
        <source>Log folder notice</source>
        <translation>Log folder notice</translation>
    </message>
    <message>
        <source>Campus Card Batch Manager</source>
        <translation>Campus Card Batch Manager</translation>
    </message>
</context>
<context>
    <name>ConfirmDialog</name>
    <message>
        <source>Confirm: %1</source>
        <translation>Confirm: %1</translation>
    </message>
    <message>
        <source>Writes to: %1</source>
        <translation>Writes to: %1</translation>
    </message>
    <message>
        <source>%1
Each student's card is read again right before it is written: a card that changed since is skipped, never overwritten.</source>
        <translation>%1
Each student's card is read again right before it is written: a card that changed since is skipped, never overwritten.</translation>
    </message>
    <message>
        <source>Skipped students by reason</source>
        <translation>Skipped students by reason</translation>
    </message>
    <message numerus="yes">
        <source>%Ln selected student(s) will be skipped:</source>
        <translation><numerusform>%Ln selected student will be skipped:</numerusform><numerusform>%Ln selected students will be skipped:</numerusform></translation>
    </message>
    <message>
        <source>No selected student is skipped.</source>
        <translation>No selected student is skipped.</translation>
    </message>
    <message>
        <source>Total balance on the cards that will be cancelled: %1</source>
        <translation>Total balance on the cards that will be cancelled: %1</translation>
    </message>
    <message>
        <source>Show the list of students</source>
        <translation>Show the list of students</translation>
    </message>
    <message>
        <source>&amp;Export plan…</source>
        <translation>&amp;Export plan…</translation>
    </message>
    <message>
        <source>Export the plan: the students written and skipped, with the reasons</source>
        <translation>Export the plan: the students written and skipped, with the reasons</translation>
    </message>
    <message>
        <source>Students in this job</source>
        <translation>Students in this job</translation>
    </message>
    <message>
        <source>Cancelling a card cannot be undone. To confirm, type the number of cards that will be cancelled (%1):</source>
        <translation>Cancelling a card cannot be undone. To confirm, type the number of cards that will be cancelled (%1):</translation>
    </message>
    <message>
        <source>This job writes %1 records at once. To confirm, type that number:</source>
        <translation>This job writes %1 records at once. To confirm, type that number:</translation>
    </message>
    <message>
        <source>Number of cards to cancel</source>
        <translation>Number of cards to cancel</translation>
    </message>
    <message>
        <source>Number of records to write</source>
        <translation>Number of records to write</translation>
    </message>
    <message>
        <source>Do not run</source>
        <translation>Do not run</translation>
    </message>
    <message>
        <source>Nothing will be written: none of the selected students can be changed this way.</source>
        <translation>Nothing will be written: none of the selected students can be changed this way.</translation>
    </message>
    <message numerus="yes">
        <source>A campus card will be opened for %Ln student(s).</source>
        <translation><numerusform>A campus card will be opened for %Ln student.</numerusform><numerusform>A campus card will be opened for %Ln students.</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>The card of %Ln student(s) will be frozen.</source>
        <translation><numerusform>The card of %Ln student will be frozen.</numerusform><numerusform>The card of %Ln students will be frozen.</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>The card of %Ln student(s) will be unfrozen.</source>
        <translation><numerusform>The card of %Ln student will be unfrozen.</numerusform><numerusform>The card of %Ln students will be unfrozen.</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>The card of %Ln student(s) will be cancelled.</source>
        <translation><numerusform>The card of %Ln student will be cancelled.</numerusform><numerusform>The card of %Ln students will be cancelled.</numerusform></translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Reason</translation>
    </message>
    <message>
        <source>Students</source>
        <translation>Students</translation>
    </message>
    <message>
        <source>Hide the list of students (%1)</source>
        <translation>Hide the list of students (%1)</translation>
    </message>
    <message>
        <source>Show the list of students (%1)</source>
        <translation>Show the list of students (%1)</translation>
    </message>
    <message>
        <source>Export plan</source>
        <translation>Export plan</translation>
    </message>
    <message>
        <source>CSV, UTF-8 (*.csv)</source>
        <translation>CSV, UTF-8 (*.csv)</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Action</translation>
    </message>
    <message>
        <source>Writes to</source>
        <translation>Writes to</translation>
    </message>
    <message>
        <source>Written</source>
        <translation>Written</translation>
    </message>
    <message>
        <source>Skipped</source>
        <translation>Skipped</translation>
    </message>
    <message>
        <source>Total balance on the cards cancelled</source>
        <translation>Total balance on the cards cancelled</translation>
    </message>
    <message>
        <source>Skipped because</source>
        <translation>Skipped because</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>Cannot write %1: %2</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>Export failed</translation>
    </message>
</context>
<context>
    <name>CrashDialog</name>
    <message>
        <source>Unexpected error</source>
        <translation>Unexpected error</translation>
    </message>
    <message>
        <source>Error details</source>
        <translation>Error details</translation>
    </message>
    <message>
        <source>Keep working</source>
        <translation>Keep working</translation>
    </message>
    <message>
        <source>Show details</source>
        <translation>Show details</translation>
    </message>
    <message>
        <source>Copy details</source>
        <translation>Copy details</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>Quit</translation>
    </message>
    <message>
        <source>Hide details</source>
        <translation>Hide details</translation>
    </message>
</context>
<context>
    <name>CrashReporter</name>
    <message>
        <source>the standard error output</source>
        <translation>the standard error output</translation>
    </message>
    <message>
        <source>The program met an error it did not expect. Your work is safe: every job's progress is kept in the job journal, and anything sent is read back before it would be sent again, so an unfinished job can be continued later.

The details are in the log: %1</source>
        <translation>The program met an error it did not expect. Your work is safe: every job's progress is kept in the job journal, and anything sent is read back before it would be sent again, so an unfinished job can be continued later.

The details are in the log: %1</translation>
    </message>
    <message numerus="yes">
        <source>This happened %n times.</source>
        <translation><numerusform>This happened %n times.</numerusform><numerusform>This happened %n times.</numerusform></translation>
    </message>
</context>
<context>
    <name>DemoReset</name>
    <message>
        <source>Reset the demo school? Every student and card in %1 is replaced by the generated demo school as on the first start, students you imported too. The job history is kept. This cannot be undone.</source>
        <translation>Reset the demo school? Every student and card in %1 is replaced by the generated demo school as on the first start, students you imported too. The job history is kept. This cannot be undone.</translation>
    </message>
    <message>
        <source>Reset demo school</source>
        <translation>Reset demo school</translation>
    </message>
</context>
<context>
    <name>FieldMappingBox</name>
    <message>
        <source>Student No.</source>
        <translation>Student No.</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>College</source>
        <translation>College</translation>
    </message>
    <message>
        <source>Class</source>
        <translation>Class</translation>
    </message>
    <message>
        <source>Student status</source>
        <translation>Student status</translation>
    </message>
    <message>
        <source>Card's student</source>
        <translation>Card's student</translation>
    </message>
    <message>
        <source>Opened at</source>
        <translation>Opened at</translation>
    </message>
    <message>
        <source>Balance</source>
        <translation>Balance</translation>
    </message>
    <message>
        <source>Card status</source>
        <translation>Card status</translation>
    </message>
    <message>
        <source>Students form</source>
        <translation>Students form</translation>
    </message>
    <message>
        <source>Cards form</source>
        <translation>Cards form</translation>
    </message>
    <message>
        <source>Field for %1</source>
        <translation>Field for %1</translation>
    </message>
    <message>
        <source>The field's key (its ID in the object)</source>
        <translation>The field's key (its ID in the object)</translation>
    </message>
    <message>
        <source>Option for “%1”</source>
        <translation>Option for “%1”</translation>
    </message>
    <message>
        <source>Option label meaning “%1”</source>
        <translation>Option label meaning “%1”</translation>
    </message>
    <message>
        <source>The option of the select field that means this status</source>
        <translation>The option of the select field that means this status</translation>
    </message>
    <message>
        <source>Read the fields from the forms to choose another</source>
        <translation>Read the fields from the forms to choose another</translation>
    </message>
    <message>
        <source>(choose a field)</source>
        <translation>(choose a field)</translation>
    </message>
</context>
<context>
    <name>FilterBar</name>
    <message>
        <source>Search student no., name or class</source>
        <translation>Search student no., name or class</translation>
    </message>
    <message>
        <source>Search students</source>
        <translation>Search students</translation>
    </message>
    <message>
        <source>Filters as you type (student no., name or class; case-insensitive)</source>
        <translation>Filters as you type (student no., name or class; case-insensitive)</translation>
    </message>
    <message>
        <source>Student status</source>
        <translation>Student status</translation>
    </message>
    <message>
        <source>Card status</source>
        <translation>Card status</translation>
    </message>
    <message>
        <source>Preset:</source>
        <translation>Preset:</translation>
    </message>
    <message>
        <source>Filter preset</source>
        <translation>Filter preset</translation>
    </message>
    <message>
        <source>Custom</source>
        <translation>Custom</translation>
    </message>
    <message>
        <source>All students</source>
        <translation>All students</translation>
    </message>
    <message>
        <source>To open: enrolled, no card</source>
        <translation>To open: enrolled, no card</translation>
    </message>
    <message>
        <source>To freeze: suspended, card active</source>
        <translation>To freeze: suspended, card active</translation>
    </message>
    <message>
        <source>To cancel: withdrawn, card active or frozen</source>
        <translation>To cancel: withdrawn, card active or frozen</translation>
    </message>
    <message>
        <source>Graduated: card active or frozen</source>
        <translation>Graduated: card active or frozen</translation>
    </message>
    <message>
        <source>Select all filtered</source>
        <translation>Select all filtered</translation>
    </message>
    <message>
        <source>Select all filtered rows</source>
        <translation>Select all filtered rows</translation>
    </message>
    <message>
        <source>Select every row the filter shows</source>
        <translation>Select every row the filter shows</translation>
    </message>
    <message>
        <source>Find</source>
        <translation>Find</translation>
    </message>
</context>
<context>
    <name>FirstStartBanner</name>
    <message>
        <source>Welcome. This is a demo school (generated students, marked “Demo data”): try any action on it. To work on your own students, import them (File ▸ Import students…, Ctrl+I) or add a profile for your backend (File ▸ Manage profiles…, Ctrl+Shift+P). F1 shows how to begin.</source>
        <translation>Welcome. This is a demo school (generated students, marked “Demo data”): try any action on it. To work on your own students, import them (File ▸ Import students…, Ctrl+I) or add a profile for your backend (File ▸ Manage profiles…, Ctrl+Shift+P). F1 shows how to begin.</translation>
    </message>
    <message>
        <source>Got it</source>
        <translation>Got it</translation>
    </message>
    <message>
        <source>Hide the first-start hint</source>
        <translation>Hide the first-start hint</translation>
    </message>
</context>
<context>
    <name>HelpDialog</name>
    <message>
        <source>About Campus Card Batch Manager</source>
        <translation>About Campus Card Batch Manager</translation>
    </message>
    <message>
        <source>Help</source>
        <translation>Help</translation>
    </message>
    <message>
        <source>Version %1</source>
        <translation>Version %1</translation>
    </message>
    <message>
        <source>The first start creates a demo school (2,000 generated students, marked “Demo data” in the status bar): every action can be rehearsed on it.</source>
        <translation>The first start creates a demo school (2,000 generated students, marked “Demo data” in the status bar): every action can be rehearsed on it.</translation>
    </message>
    <message>
        <source>Your own students on this PC: File ▸ Import students… (Ctrl+I) reads a CSV or Excel file into the local database.</source>
        <translation>Your own students on this PC: File ▸ Import students… (Ctrl+I) reads a CSV or Excel file into the local database.</translation>
    </message>
    <message>
        <source>Jiandaoyun, kintone, Shenbi or an iPaaS flow: File ▸ Manage profiles… (Ctrl+Shift+P) adds a profile; its secrets go to the system keyring, never to a file. Test connection checks it.</source>
        <translation>Jiandaoyun, kintone, Shenbi or an iPaaS flow: File ▸ Manage profiles… (Ctrl+Shift+P) adds a profile; its secrets go to the system keyring, never to a file. Test connection checks it.</translation>
    </message>
    <message>
        <source>To rehearse without a real server, run campuscard-sandbox and point a profile at the address it prints.</source>
        <translation>To rehearse without a real server, run campuscard-sandbox and point a profile at the address it prints.</translation>
    </message>
    <message>
        <source>File ▸ Reset demo school… brings the demo data back as on the first start (the built-in local profile only).</source>
        <translation>File ▸ Reset demo school… brings the demo data back as on the first start (the built-in local profile only).</translation>
    </message>
    <message>
        <source>The README (“Set up”, “What an operator does”, “Connecting to …”) has the details; campuscard-cli does the same from scripts.</source>
        <translation>The README (“Set up”, “What an operator does”, “Connecting to …”) has the details; campuscard-cli does the same from scripts.</translation>
    </message>
    <message>
        <source>Ctrl+F search, Down into the table, Tab out of it</source>
        <translation>Ctrl+F search, Down into the table, Tab out of it</translation>
    </message>
    <message>
        <source>Ctrl+C copies the selected rows (tab-separated, with the header)</source>
        <translation>Ctrl+C copies the selected rows (tab-separated, with the header)</translation>
    </message>
    <message>
        <source>Ctrl+Shift+O / F / U / X: open, freeze, unfreeze, cancel cards</source>
        <translation>Ctrl+Shift+O / F / U / X: open, freeze, unfreeze, cancel cards</translation>
    </message>
    <message>
        <source>Enter confirms; Ctrl+Shift+E exports the results; F5 refreshes</source>
        <translation>Enter confirms; Ctrl+Shift+E exports the results; F5 refreshes</translation>
    </message>
    <message>
        <source>Ctrl+Shift+M shows the messages; F1 this help</source>
        <translation>Ctrl+Shift+M shows the messages; F1 this help</translation>
    </message>
    <message>
        <source>Settings and profiles: %1</source>
        <translation>Settings and profiles: %1</translation>
    </message>
    <message>
        <source>Local database and journal: %1</source>
        <translation>Local database and journal: %1</translation>
    </message>
    <message>
        <source>Logs: %1</source>
        <translation>Logs: %1</translation>
    </message>
    <message>
        <source>Campus Card Batch Manager</source>
        <translation>Campus Card Batch Manager</translation>
    </message>
    <message>
        <source>Opens, freezes, unfreezes and cancels campus cards for many students at once, on Jiandaoyun, kintone, Shenbi, an iPaaS flow or a local database.</source>
        <translation>Opens, freezes, unfreezes and cancels campus cards for many students at once, on Jiandaoyun, kintone, Shenbi, an iPaaS flow or a local database.</translation>
    </message>
    <message>
        <source>How to begin</source>
        <translation>How to begin</translation>
    </message>
    <message>
        <source>Keyboard</source>
        <translation>Keyboard</translation>
    </message>
    <message>
        <source>Where things are kept</source>
        <translation>Where things are kept</translation>
    </message>
</context>
<context>
    <name>History</name>
    <message>
        <source>Unfinished</source>
        <translation>Unfinished</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Done</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Cancelled</translation>
    </message>
</context>
<context>
    <name>HistoryDialog</name>
    <message>
        <source>Job history</source>
        <translation>Job history</translation>
    </message>
    <message>
        <source>Past jobs, newest first</source>
        <translation>Past jobs, newest first</translation>
    </message>
    <message>
        <source>Search the jobs</source>
        <translation>Search the jobs</translation>
    </message>
    <message>
        <source>Search: job id, operator, profile, action, state, date…</source>
        <translation>Search: job id, operator, profile, action, state, date…</translation>
    </message>
    <message>
        <source>&amp;Search:</source>
        <translation>&amp;Search:</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Loading…</translation>
    </message>
    <message>
        <source>&amp;Open</source>
        <translation>&amp;Open</translation>
    </message>
    <message>
        <source>Open the selected job</source>
        <translation>Open the selected job</translation>
    </message>
    <message>
        <source>Close the history</source>
        <translation>Close the history</translation>
    </message>
    <message>
        <source>Jobs: %1 of %2</source>
        <translation>Jobs: %1 of %2</translation>
    </message>
    <message>
        <source>Jobs: %1</source>
        <translation>Jobs: %1</translation>
    </message>
    <message numerus="yes">
        <source>(%n more could not be read: they hold values this version does not know)</source>
        <translation><numerusform>(%n more could not be read: they hold values this version does not know)</numerusform><numerusform>(%n more could not be read: they hold values this version does not know)</numerusform></translation>
    </message>
    <message>
        <source>Could not read the job history: %1</source>
        <translation>Could not read the job history: %1</translation>
    </message>
</context>
<context>
    <name>HistoryModel</name>
    <message>
        <source>Time</source>
        <translation>Time</translation>
    </message>
    <message>
        <source>Operator</source>
        <translation>Operator</translation>
    </message>
    <message>
        <source>Profile</source>
        <translation>Profile</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Action</translation>
    </message>
    <message>
        <source>Job</source>
        <translation>Job</translation>
    </message>
    <message>
        <source>State</source>
        <translation>State</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>Total</translation>
    </message>
    <message>
        <source>Succeeded</source>
        <translation>Succeeded</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Failed</translation>
    </message>
    <message>
        <source>Skipped</source>
        <translation>Skipped</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Cancelled</translation>
    </message>
    <message>
        <source>Ended %1</source>
        <translation>Ended %1</translation>
    </message>
</context>
<context>
    <name>ImportDialog</name>
    <message>
        <source>Import students</source>
        <translation>Import students</translation>
    </message>
    <message>
        <source>Student No.</source>
        <translation>Student No.</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>College</source>
        <translation>College</translation>
    </message>
    <message>
        <source>Class</source>
        <translation>Class</translation>
    </message>
    <message>
        <source>Student status</source>
        <translation>Student status</translation>
    </message>
    <message>
        <source>File to import</source>
        <translation>File to import</translation>
    </message>
    <message>
        <source>Choose a CSV or XLSX file</source>
        <translation>Choose a CSV or XLSX file</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>&amp;Browse…</translation>
    </message>
    <message>
        <source>Choose the file to import</source>
        <translation>Choose the file to import</translation>
    </message>
    <message>
        <source>Save &amp;template…</source>
        <translation>Save &amp;template…</translation>
    </message>
    <message>
        <source>Save an import template: the expected headers and an example row</source>
        <translation>Save an import template: the expected headers and an example row</translation>
    </message>
    <message>
        <source>Columns</source>
        <translation>Columns</translation>
    </message>
    <message>
        <source>Column for %1</source>
        <translation>Column for %1</translation>
    </message>
    <message>
        <source>Required columns not found</source>
        <translation>Required columns not found</translation>
    </message>
    <message>
        <source>Preview of the first rows</source>
        <translation>Preview of the first rows</translation>
    </message>
    <message>
        <source>Values that are not accepted</source>
        <translation>Values that are not accepted</translation>
    </message>
    <message>
        <source>Rows that cannot be imported</source>
        <translation>Rows that cannot be imported</translation>
    </message>
    <message>
        <source>Row</source>
        <translation>Row</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>Problem</translation>
    </message>
    <message>
        <source>What the import will do</source>
        <translation>What the import will do</translation>
    </message>
    <message>
        <source>Students to import</source>
        <translation>Students to import</translation>
    </message>
    <message>
        <source>New students</source>
        <translation>New students</translation>
    </message>
    <message>
        <source>Changes to existing students</source>
        <translation>Changes to existing students</translation>
    </message>
    <message>
        <source>Required fields are marked with *.</source>
        <translation>Required fields are marked with *.</translation>
    </message>
    <message>
        <source>&amp;Back</source>
        <translation>&amp;Back</translation>
    </message>
    <message>
        <source>Back to the columns</source>
        <translation>Back to the columns</translation>
    </message>
    <message>
        <source>&amp;Check and preview</source>
        <translation>&amp;Check and preview</translation>
    </message>
    <message>
        <source>Check the rows and preview the import; nothing is written yet</source>
        <translation>Check the rows and preview the import; nothing is written yet</translation>
    </message>
    <message>
        <source>&amp;Import</source>
        <translation>&amp;Import</translation>
    </message>
    <message>
        <source>Import the students as previewed</source>
        <translation>Import the students as previewed</translation>
    </message>
    <message>
        <source>Close without importing</source>
        <translation>Close without importing</translation>
    </message>
    <message numerus="yes">
        <source>%n data row(s) read. Check the columns, then preview the import.</source>
        <translation><numerusform>%n data row read. Check the columns, then preview the import.</numerusform><numerusform>%n data rows read. Check the columns, then preview the import.</numerusform></translation>
    </message>
    <message>
        <source>Required columns not found:</source>
        <translation>Required columns not found:</translation>
    </message>
    <message>
        <source>• %1: a column headed %2</source>
        <translation>• %1: a column headed %2</translation>
    </message>
    <message>
        <source>Template saved to %1</source>
        <translation>Template saved to %1</translation>
    </message>
    <message>
        <source>Spreadsheets (*.csv *.xlsx *.xlsm *.txt *.tsv);;All files (*)</source>
        <translation>Spreadsheets (*.csv *.xlsx *.xlsm *.txt *.tsv);;All files (*)</translation>
    </message>
    <message>
        <source>Reading %1…</source>
        <translation>Reading %1…</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>(none)</translation>
    </message>
    <message>
        <source>Column %1</source>
        <translation>Column %1</translation>
    </message>
    <message>
        <source>Case, spaces, _ and - in a header do not matter. Rename the header in the file, or choose the column above.</source>
        <translation>Case, spaces, _ and - in a header do not matter. Rename the header in the file, or choose the column above.</translation>
    </message>
    <message numerus="yes">
        <source>Checking %n row(s)…</source>
        <translation><numerusform>Checking %n row…</numerusform><numerusform>Checking %n rows…</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n row(s) cannot be imported. Nothing was imported; correct the file and try again.</source>
        <translation><numerusform>%n row cannot be imported. Nothing was imported; correct the file and try again.</numerusform><numerusform>%n rows cannot be imported. Nothing was imported; correct the file and try again.</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>“%1” (%n row(s))</source>
        <translation><numerusform>“%1” (%n row)</numerusform><numerusform>“%1” (%n rows)</numerusform></translation>
    </message>
    <message>
        <source>and %1 more</source>
        <translation>and %1 more</translation>
    </message>
    <message>
        <source>%1 does not accept: %2.
Accepted values: %3 (case does not matter).</source>
        <translation>%1 does not accept: %2.
Accepted values: %3 (case does not matter).</translation>
    </message>
    <message>
        <source>Name (after import)</source>
        <translation>Name (after import)</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>Field</translation>
    </message>
    <message>
        <source>Now</source>
        <translation>Now</translation>
    </message>
    <message>
        <source>After import</source>
        <translation>After import</translation>
    </message>
    <message>
        <source>(empty)</source>
        <translation>(empty)</translation>
    </message>
    <message>
        <source>New students (%1)</source>
        <translation>New students (%1)</translation>
    </message>
    <message>
        <source>Updated students (%1)</source>
        <translation>Updated students (%1)</translation>
    </message>
    <message>
        <source>Nothing has been written yet. Press Import to write these changes, or Back to change the columns.</source>
        <translation>Nothing has been written yet. Press Import to write these changes, or Back to change the columns.</translation>
    </message>
    <message>
        <source>Nothing to import: every student in the file is already as it says.</source>
        <translation>Nothing to import: every student in the file is already as it says.</translation>
    </message>
    <message>
        <source>%1 new students will be added and %2 existing students updated (%3 field changes); %4 are already as the file says.</source>
        <translation>%1 new students will be added and %2 existing students updated (%3 field changes); %4 are already as the file says.</translation>
    </message>
    <message numerus="yes">
        <source>Importing %n student(s)…</source>
        <translation><numerusform>Importing %n student…</numerusform><numerusform>Importing %n students…</numerusform></translation>
    </message>
    <message>
        <source>Imported.</source>
        <translation>Imported.</translation>
    </message>
</context>
<context>
    <name>ImportTemplate</name>
    <message>
        <source>Student No.</source>
        <translation>Student No.</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>College</source>
        <translation>College</translation>
    </message>
    <message>
        <source>Class</source>
        <translation>Class</translation>
    </message>
    <message>
        <source>Student status</source>
        <translation>Student status</translation>
    </message>
    <message>
        <source>Zhang San</source>
        <translation>Zhang San</translation>
    </message>
    <message>
        <source>School of Science</source>
        <translation>School of Science</translation>
    </message>
    <message>
        <source>Maths 2401</source>
        <translation>Maths 2401</translation>
    </message>
    <message>
        <source>enrolled</source>
        <translation>enrolled</translation>
    </message>
    <message>
        <source>Students</source>
        <translation>Students</translation>
    </message>
</context>
<context>
    <name>IpaasEditor</name>
    <message>
        <source>iPaaS integration flow</source>
        <translation>iPaaS integration flow</translation>
    </message>
    <message>
        <source>C&amp;oncurrent calls:</source>
        <translation>C&amp;oncurrent calls:</translation>
    </message>
    <message>
        <source>Gateway calls in flight at once</source>
        <translation>Gateway calls in flight at once</translation>
    </message>
    <message>
        <source>The gateway refused the token</source>
        <translation>The gateway refused the token</translation>
    </message>
    <message>
        <source>Gate&amp;way URL:</source>
        <translation>Gate&amp;way URL:</translation>
    </message>
    <message>
        <source>gateway URL</source>
        <translation>gateway URL</translation>
    </message>
    <message>
        <source>The flow's HTTP trigger address, https://…</source>
        <translation>The flow's HTTP trigger address, https://…</translation>
    </message>
    <message>
        <source>Gateway token</source>
        <translation>Gateway token</translation>
    </message>
    <message>
        <source>&amp;Gateway token:</source>
        <translation>&amp;Gateway token:</translation>
    </message>
    <message>
        <source>Students &amp;per call:</source>
        <translation>Students &amp;per call:</translation>
    </message>
    <message>
        <source>Connected: the Shenbi profile reads and the gateway answers.</source>
        <translation>Connected: the Shenbi profile reads and the gateway answers.</translation>
    </message>
    <message>
        <source>About reading through a Shenbi profile</source>
        <translation>About reading through a Shenbi profile</translation>
    </message>
    <message>
        <source>Students and cards are read through this Shenbi profile (its AK/SK and field mapping); the actions go to the flow.</source>
        <translation>Students and cards are read through this Shenbi profile (its AK/SK and field mapping); the actions go to the flow.</translation>
    </message>
    <message>
        <source>Students per gateway call</source>
        <translation>Students per gateway call</translation>
    </message>
    <message>
        <source>%1 (not a saved Shenbi profile)</source>
        <translation>%1 (not a saved Shenbi profile)</translation>
    </message>
    <message>
        <source>Choose the Shenbi profile to read through (save one first).</source>
        <translation>Choose the Shenbi profile to read through (save one first).</translation>
    </message>
    <message>
        <source>“%1” is not a saved Shenbi profile: choose another.</source>
        <translation>“%1” is not a saved Shenbi profile: choose another.</translation>
    </message>
    <message>
        <source>gateway token</source>
        <translation>gateway token</translation>
    </message>
    <message>
        <source>The secret the flow's HTTP trigger expects in that header</source>
        <translation>The secret the flow's HTTP trigger expects in that header</translation>
    </message>
</context>
<context>
    <name>JiandaoyunEditor</name>
    <message>
        <source>API key</source>
        <translation>API key</translation>
    </message>
    <message>
        <source>API &amp;key:</source>
        <translation>API &amp;key:</translation>
    </message>
    <message>
        <source>Open platform (开放平台) → Key management (密钥管理) → Create API KEY</source>
        <translation>Open platform (开放平台) → Key management (密钥管理) → Create API KEY</translation>
    </message>
    <message>
        <source>Write requests in flight at once</source>
        <translation>Write requests in flight at once</translation>
    </message>
    <message>
        <source>C&amp;oncurrent writes:</source>
        <translation>C&amp;oncurrent writes:</translation>
    </message>
    <message>
        <source>&amp;Read fields from the forms</source>
        <translation>&amp;Read fields from the forms</translation>
    </message>
    <message>
        <source>Connected: the app, both forms and the mapped fields were found.</source>
        <translation>Connected: the app, both forms and the mapped fields were found.</translation>
    </message>
    <message>
        <source>Jiandaoyun connection</source>
        <translation>Jiandaoyun connection</translation>
    </message>
    <message>
        <source>Read the fields of both forms from Jiandaoyun</source>
        <translation>Read the fields of both forms from Jiandaoyun</translation>
    </message>
    <message>
        <source>The API key was rejected</source>
        <translation>The API key was rejected</translation>
    </message>
    <message>
        <source>The API key may not use this app or form</source>
        <translation>The API key may not use this app or form</translation>
    </message>
    <message>
        <source>The app ID is wrong</source>
        <translation>The app ID is wrong</translation>
    </message>
    <message>
        <source>A form (entry) ID is wrong</source>
        <translation>A form (entry) ID is wrong</translation>
    </message>
    <message>
        <source>Read %1 fields of the students form and %2 of the cards form; check the choices.</source>
        <translation>Read %1 fields of the students form and %2 of the cards form; check the choices.</translation>
    </message>
</context>
<context>
    <name>JobController</name>
    <message>
        <source>The job stopped because of an unexpected error. It stays unfinished and can be resumed. Details were written to the log file.</source>
        <translation>The job stopped because of an unexpected error. It stays unfinished and can be resumed. Details were written to the log file.</translation>
    </message>
    <message>
        <source>Nothing was written: the job is for the profile “%1”, but the profile open is “%2”.</source>
        <translation>Nothing was written: the job is for the profile “%1”, but the profile open is “%2”.</translation>
    </message>
    <message>
        <source>Nothing was written: job %3 belongs to the profile “%1”, but the profile open is “%2”.</source>
        <translation>Nothing was written: job %3 belongs to the profile “%1”, but the profile open is “%2”.</translation>
    </message>
    <message>
        <source>Take over the job?</source>
        <translation>Take over the job?</translation>
    </message>
    <message>
        <source>Take it over only if that program is no longer running: two programs running one job at once could write a record twice.</source>
        <translation>Take it over only if that program is no longer running: two programs running one job at once could write a record twice.</translation>
    </message>
    <message>
        <source>&amp;Take over</source>
        <translation>&amp;Take over</translation>
    </message>
</context>
<context>
    <name>JobReport</name>
    <message>
        <source>Cancelled</source>
        <translation>Cancelled</translation>
    </message>
    <message>
        <source>Finished</source>
        <translation>Finished</translation>
    </message>
    <message>
        <source>Unfinished</source>
        <translation>Unfinished</translation>
    </message>
    <message>
        <source>Job</source>
        <translation>Job</translation>
    </message>
    <message>
        <source>Operator</source>
        <translation>Operator</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>Started</translation>
    </message>
    <message>
        <source>Ended</source>
        <translation>Ended</translation>
    </message>
    <message>
        <source>Profile</source>
        <translation>Profile</translation>
    </message>
    <message>
        <source>Backend</source>
        <translation>Backend</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>unknown</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Action</translation>
    </message>
    <message>
        <source>State</source>
        <translation>State</translation>
    </message>
    <message>
        <source>Records</source>
        <translation>Records</translation>
    </message>
    <message>
        <source>Follows job</source>
        <translation>Follows job</translation>
    </message>
    <message>
        <source>Job %1: %2</source>
        <translation>Job %1: %2</translation>
    </message>
    <message>
        <source>Failures (%1)</source>
        <translation>Failures (%1)</translation>
    </message>
    <message>
        <source>Student no.</source>
        <translation>Student no.</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Reason / error</source>
        <translation>Reason / error</translation>
    </message>
    <message>
        <source>… and %1 more failures: export the results for all of them.</source>
        <translation>… and %1 more failures: export the results for all of them.</translation>
    </message>
    <message>
        <source>No record failed.</source>
        <translation>No record failed.</translation>
    </message>
    <message>
        <source>Printed %1</source>
        <translation>Printed %1</translation>
    </message>
    <message>
        <source>Job %1</source>
        <translation>Job %1</translation>
    </message>
</context>
<context>
    <name>JournalNotice</name>
    <message>
        <source>Job history</source>
        <translation>Job history</translation>
    </message>
    <message>
        <source>Job history notice</source>
        <translation>Job history notice</translation>
    </message>
</context>
<context>
    <name>KintoneEditor</name>
    <message>
        <source>kintone connection</source>
        <translation>kintone connection</translation>
    </message>
    <message>
        <source>&amp;Read fields from the apps</source>
        <translation>&amp;Read fields from the apps</translation>
    </message>
    <message>
        <source>Read the fields of both apps from kintone</source>
        <translation>Read the fields of both apps from kintone</translation>
    </message>
    <message>
        <source>Read %1 fields of the students app and %2 of the cards app; check the choices.</source>
        <translation>Read %1 fields of the students app and %2 of the cards app; check the choices.</translation>
    </message>
    <message>
        <source>Connected: both apps and the mapped fields were found.</source>
        <translation>Connected: both apps and the mapped fields were found.</translation>
    </message>
    <message>
        <source>C&amp;oncurrent requests:</source>
        <translation>C&amp;oncurrent requests:</translation>
    </message>
    <message>
        <source>Requests in flight at once</source>
        <translation>Requests in flight at once</translation>
    </message>
    <message>
        <source>The API token or the password was rejected</source>
        <translation>The API token or the password was rejected</translation>
    </message>
    <message>
        <source>The API token or the user may not do this in the app</source>
        <translation>The API token or the user may not do this in the app</translation>
    </message>
    <message>
        <source>An app ID is wrong</source>
        <translation>An app ID is wrong</translation>
    </message>
    <message>
        <source>The guest space ID is wrong</source>
        <translation>The guest space ID is wrong</translation>
    </message>
    <message>
        <source>Students app</source>
        <translation>Students app</translation>
    </message>
    <message>
        <source>Cards app</source>
        <translation>Cards app</translation>
    </message>
    <message>
        <source>API token of the students app</source>
        <translation>API token of the students app</translation>
    </message>
    <message>
        <source>API token of the cards app</source>
        <translation>API token of the cards app</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Password</translation>
    </message>
    <message>
        <source>Students app to&amp;ken:</source>
        <translation>Students app to&amp;ken:</translation>
    </message>
    <message>
        <source>Cards app tok&amp;en:</source>
        <translation>Cards app tok&amp;en:</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>&amp;Password:</translation>
    </message>
    <message>
        <source>Write only the domain's address (e.g. https://example.cybozu.com), without a path.</source>
        <translation>Write only the domain's address (e.g. https://example.cybozu.com), without a path.</translation>
    </message>
    <message>
        <source>Enter the IDs of both apps: the number in each app's address (…/k/12/).</source>
        <translation>Enter the IDs of both apps: the number in each app's address (…/k/12/).</translation>
    </message>
    <message>
        <source>The students app and the cards app must be two apps.</source>
        <translation>The students app and the cards app must be two apps.</translation>
    </message>
    <message>
        <source>The guest space ID is a number (…/k/guest/5/…); leave it empty when the apps are not in a guest space.</source>
        <translation>The guest space ID is a number (…/k/guest/5/…); leave it empty when the apps are not in a guest space.</translation>
    </message>
    <message>
        <source>password</source>
        <translation>password</translation>
    </message>
    <message>
        <source>App settings → API token, with “view records”</source>
        <translation>App settings → API token, with “view records”</translation>
    </message>
    <message>
        <source>App settings → API token, with “view, add and edit records”</source>
        <translation>App settings → API token, with “view, add and edit records”</translation>
    </message>
    <message>
        <source>The login name's kintone password</source>
        <translation>The login name's kintone password</translation>
    </message>
</context>
<context>
    <name>Labels</name>
    <message>
        <source>, </source>
        <comment>between names listed in a sentence</comment>
        <translation>, </translation>
    </message>
    <message>
        <source>Open card</source>
        <translation>Open card</translation>
    </message>
    <message>
        <source>Freeze</source>
        <translation>Freeze</translation>
    </message>
    <message>
        <source>Unfreeze</source>
        <translation>Unfreeze</translation>
    </message>
    <message>
        <source>Cancel card</source>
        <translation>Cancel card</translation>
    </message>
    <message>
        <source>Enrolled</source>
        <translation>Enrolled</translation>
    </message>
    <message>
        <source>Suspended</source>
        <translation>Suspended</translation>
    </message>
    <message>
        <source>Withdrawn</source>
        <translation>Withdrawn</translation>
    </message>
    <message>
        <source>Graduated</source>
        <translation>Graduated</translation>
    </message>
    <message>
        <source>Not opened</source>
        <translation>Not opened</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>Active</translation>
    </message>
    <message>
        <source>Frozen</source>
        <translation>Frozen</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Cancelled</translation>
    </message>
    <message>
        <source>Pending</source>
        <translation>Pending</translation>
    </message>
    <message>
        <source>Succeeded</source>
        <translation>Succeeded</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Failed</translation>
    </message>
    <message>
        <source>Skipped</source>
        <translation>Skipped</translation>
    </message>
    <message>
        <source>Cancelled by operator</source>
        <translation>Cancelled by operator</translation>
    </message>
    <message>
        <source>Local database</source>
        <translation>Local database</translation>
    </message>
    <message>
        <source>Jiandaoyun</source>
        <translation>Jiandaoyun</translation>
    </message>
    <message>
        <source>kintone</source>
        <translation>kintone</translation>
    </message>
    <message>
        <source>Shenbi</source>
        <translation>Shenbi</translation>
    </message>
    <message>
        <source>iPaaS flow</source>
        <translation>iPaaS flow</translation>
    </message>
    <message>
        <source>%1 · %2 (%3)</source>
        <translation>%1 · %2 (%3)</translation>
    </message>
    <message>
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
    <message>
        <source>%2 (%3)</source>
        <translation>%2 (%3)</translation>
    </message>
    <message>
        <source>Card already opened</source>
        <translation>Card already opened</translation>
    </message>
    <message>
        <source>No card opened</source>
        <translation>No card opened</translation>
    </message>
    <message>
        <source>Card already frozen</source>
        <translation>Card already frozen</translation>
    </message>
    <message>
        <source>Card is not frozen</source>
        <translation>Card is not frozen</translation>
    </message>
    <message>
        <source>Card already cancelled</source>
        <translation>Card already cancelled</translation>
    </message>
    <message>
        <source>Student is not enrolled</source>
        <translation>Student is not enrolled</translation>
    </message>
    <message>
        <source>Unknown student number</source>
        <translation>Unknown student number</translation>
    </message>
    <message>
        <source>Duplicate student number</source>
        <translation>Duplicate student number</translation>
    </message>
    <message>
        <source>Changed by someone else</source>
        <translation>Changed by someone else</translation>
    </message>
    <message>
        <source>Opened by someone else</source>
        <translation>Opened by someone else</translation>
    </message>
    <message>
        <source>%1 (now %2)</source>
        <translation>%1 (now %2)</translation>
    </message>
    <message>
        <source>%1 (card record %2)</source>
        <translation>%1 (card record %2)</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>Cancelled before it was sent</source>
        <translation>Cancelled before it was sent</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Campus Card Batch Manager</source>
        <translation>Campus Card Batch Manager</translation>
    </message>
    <message>
        <source>Loading students…</source>
        <translation>Loading students…</translation>
    </message>
    <message>
        <source>Manage profiles…</source>
        <translation>Manage profiles…</translation>
    </message>
    <message>
        <source>Set up backends (Jiandaoyun, kintone, Shenbi, iPaaS), their secrets and field mapping</source>
        <translation>Set up backends (Jiandaoyun, kintone, Shenbi, iPaaS), their secrets and field mapping</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <source>Reload the students</source>
        <translation>Reload the students</translation>
    </message>
    <message>
        <source>Import students…</source>
        <translation>Import students…</translation>
    </message>
    <message>
        <source>Import students from a CSV or Excel file (local database only)</source>
        <translation>Import students from a CSV or Excel file (local database only)</translation>
    </message>
    <message>
        <source>Save import template…</source>
        <translation>Save import template…</translation>
    </message>
    <message>
        <source>Save a CSV or Excel file with the columns the import expects and an example row</source>
        <translation>Save a CSV or Excel file with the columns the import expects and an example row</translation>
    </message>
    <message>
        <source>Import template saved to %1</source>
        <translation>Import template saved to %1</translation>
    </message>
    <message>
        <source>History</source>
        <translation>History</translation>
    </message>
    <message>
        <source>Past jobs and their results</source>
        <translation>Past jobs and their results</translation>
    </message>
    <message>
        <source>Allow opening cards for non-enrolled students</source>
        <translation>Allow opening cards for non-enrolled students</translation>
    </message>
    <message>
        <source>When on, Open card also opens cards for suspended, withdrawn or graduated students</source>
        <translation>When on, Open card also opens cards for suspended, withdrawn or graduated students</translation>
    </message>
    <message>
        <source>Select all filtered</source>
        <translation>Select all filtered</translation>
    </message>
    <message>
        <source>Select every row the filter shows</source>
        <translation>Select every row the filter shows</translation>
    </message>
    <message>
        <source>Copy student numbers</source>
        <translation>Copy student numbers</translation>
    </message>
    <message>
        <source>Copy the selected student numbers, one per line</source>
        <translation>Copy the selected student numbers, one per line</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>Quit</translation>
    </message>
    <message>
        <source>About and getting started…</source>
        <translation>About and getting started…</translation>
    </message>
    <message>
        <source>The version, how to begin, the keys and where things are kept</source>
        <translation>The version, how to begin, the keys and where things are kept</translation>
    </message>
    <message>
        <source>Messages…</source>
        <translation>Messages…</translation>
    </message>
    <message>
        <source>The status bar's messages of this session, whole</source>
        <translation>The status bar's messages of this session, whole</translation>
    </message>
    <message>
        <source>Reset demo school…</source>
        <translation>Reset demo school…</translation>
    </message>
    <message>
        <source>Build the demo school again as on the first start (built-in local profile only)</source>
        <translation>Build the demo school again as on the first start (built-in local profile only)</translation>
    </message>
    <message>
        <source>Clear kept snapshots</source>
        <translation>Clear kept snapshots</translation>
    </message>
    <message>
        <source>Remove the students' lists kept on this computer to open remote profiles at once (personal data; the next opening lists everything again)</source>
        <translation>Remove the students' lists kept on this computer to open remote profiles at once (personal data; the next opening lists everything again)</translation>
    </message>
    <message>
        <source>Main toolbar</source>
        <translation>Main toolbar</translation>
    </message>
    <message>
        <source>Profile:</source>
        <translation>Profile:</translation>
    </message>
    <message>
        <source>Profile</source>
        <translation>Profile</translation>
    </message>
    <message>
        <source>The backend to work on; switching reloads</source>
        <translation>The backend to work on; switching reloads</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <source>&amp;Cards</source>
        <translation>&amp;Cards</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;View</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <source>&amp;Columns</source>
        <translation>&amp;Columns</translation>
    </message>
    <message>
        <source>Showing the students as listed at %1 (a snapshot kept on this computer); the current list is being read.</source>
        <translation>Showing the students as listed at %1 (a snapshot kept on this computer); the current list is being read.</translation>
    </message>
    <message numerus="yes">
        <source>Snapshots removed: %Ln</source>
        <translation><numerusform>Snapshots removed: %Ln</numerusform><numerusform>Snapshots removed: %Ln</numerusform></translation>
    </message>
    <message>
        <source>Showing the data loaded at %1: refreshing failed: %2</source>
        <translation>Showing the data loaded at %1: refreshing failed: %2</translation>
    </message>
    <message>
        <source>connecting…</source>
        <translation>connecting…</translation>
    </message>
    <message>
        <source>loading…</source>
        <translation>loading…</translation>
    </message>
    <message>
        <source>connected</source>
        <translation>connected</translation>
    </message>
    <message>
        <source>not connected</source>
        <translation>not connected</translation>
    </message>
    <message>
        <source>The students could not be loaded: %1

Refresh (F5) tries again; Manage profiles… (Ctrl+Shift+P) checks the profile.</source>
        <translation>The students could not be loaded: %1

Refresh (F5) tries again; Manage profiles… (Ctrl+Shift+P) checks the profile.</translation>
    </message>
    <message>
        <source>No students yet. Import them from a CSV or Excel file: File ▸ Import students… (Ctrl+I). Help ▸ About and getting started (F1) says how to begin.</source>
        <translation>No students yet. Import them from a CSV or Excel file: File ▸ Import students… (Ctrl+I). Help ▸ About and getting started (F1) says how to begin.</translation>
    </message>
    <message>
        <source>The backend holds no students. Manage profiles… (Ctrl+Shift+P) checks the profile's app and field mapping.</source>
        <translation>The backend holds no students. Manage profiles… (Ctrl+Shift+P) checks the profile's app and field mapping.</translation>
    </message>
    <message>
        <source>The demo school was built again.</source>
        <translation>The demo school was built again.</translation>
    </message>
    <message>
        <source>The demo school could not be reset: %1</source>
        <translation>The demo school could not be reset: %1</translation>
    </message>
    <message>
        <source>A job is running. Cancel it and quit? Records not sent yet are marked cancelled; what was sent is kept in the journal.</source>
        <translation>A job is running. Cancel it and quit? Records not sent yet are marked cancelled; what was sent is kept in the journal.</translation>
    </message>
</context>
<context>
    <name>MessageLogButton</name>
    <message>
        <source>Messages (%1)</source>
        <translation>Messages (%1)</translation>
    </message>
    <message>
        <source>No messages yet</source>
        <translation>No messages yet</translation>
    </message>
    <message>
        <source>Messages</source>
        <translation>Messages</translation>
    </message>
</context>
<context>
    <name>PlanModel</name>
    <message>
        <source>Student No.</source>
        <translation>Student No.</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Card now</source>
        <translation>Card now</translation>
    </message>
    <message>
        <source>Card after</source>
        <translation>Card after</translation>
    </message>
    <message>
        <source>Skipped because</source>
        <translation>Skipped because</translation>
    </message>
    <message>
        <source>(skipped)</source>
        <translation>(skipped)</translation>
    </message>
</context>
<context>
    <name>ProfileDialog</name>
    <message>
        <source>Profiles</source>
        <translation>Profiles</translation>
    </message>
    <message>
        <source>Keyring problem</source>
        <translation>Keyring problem</translation>
    </message>
    <message>
        <source>&amp;New</source>
        <translation>&amp;New</translation>
    </message>
    <message>
        <source>&amp;Delete</source>
        <translation>&amp;Delete</translation>
    </message>
    <message>
        <source>Delete the selected profile</source>
        <translation>Delete the selected profile</translation>
    </message>
    <message>
        <source>The built-in local profile keeps the students and cards in a database on this computer. It has nothing to configure and cannot be removed.</source>
        <translation>The built-in local profile keeps the students and cards in a database on this computer. It has nothing to configure and cannot be removed.</translation>
    </message>
    <message>
        <source>About the local profile</source>
        <translation>About the local profile</translation>
    </message>
    <message>
        <source>New profile</source>
        <translation>New profile</translation>
    </message>
    <message>
        <source>About this profile</source>
        <translation>About this profile</translation>
    </message>
    <message>
        <source>Backend kind</source>
        <translation>Backend kind</translation>
    </message>
    <message>
        <source>The kind of a new profile; a saved profile keeps its kind</source>
        <translation>The kind of a new profile; a saved profile keeps its kind</translation>
    </message>
    <message>
        <source>&amp;Kind:</source>
        <translation>&amp;Kind:</translation>
    </message>
    <message>
        <source>Profile status</source>
        <translation>Profile status</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Save</translation>
    </message>
    <message>
        <source>Save the profile and its secrets</source>
        <translation>Save the profile and its secrets</translation>
    </message>
    <message>
        <source>Checking the connection and the mapped fields before saving…</source>
        <translation>Checking the connection and the mapped fields before saving…</translation>
    </message>
    <message>
        <source>The check before saving failed: %1</source>
        <translation>The check before saving failed: %1</translation>
    </message>
    <message>
        <source>Save “%1” anyway? Until this is fixed, jobs with this profile may fail, or write cards without their student or status.</source>
        <translation>Save “%1” anyway? Until this is fixed, jobs with this profile may fail, or write cards without their student or status.</translation>
    </message>
    <message>
        <source>Save &amp;anyway</source>
        <translation>Save &amp;anyway</translation>
    </message>
    <message>
        <source>&amp;Don't save</source>
        <translation>&amp;Don't save</translation>
    </message>
    <message>
        <source>Not saved. %1</source>
        <translation>Not saved. %1</translation>
    </message>
    <message>
        <source>Delete the profile “%1” and its secrets from the keyring? The data in the backend is not touched.</source>
        <translation>Delete the profile “%1” and its secrets from the keyring? The data in the backend is not touched.</translation>
    </message>
    <message>
        <source>Save the changes to the profile “%1” before closing?</source>
        <translation>Save the changes to the profile “%1” before closing?</translation>
    </message>
    <message>
        <source>Save the new profile before closing?</source>
        <translation>Save the new profile before closing?</translation>
    </message>
    <message>
        <source>The changes are lost unless they are saved.</source>
        <translation>The changes are lost unless they are saved.</translation>
    </message>
    <message>
        <source>D&amp;iscard changes</source>
        <translation>D&amp;iscard changes</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>&amp;Revert</source>
        <translation>&amp;Revert</translation>
    </message>
    <message>
        <source>Discard the changes</source>
        <translation>Discard the changes</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>Profiles of the kind “%1” are edited with campuscard-cli profiles.</source>
        <translation>Profiles of the kind “%1” are edited with campuscard-cli profiles.</translation>
    </message>
    <message>
        <source>Saved “%1”.</source>
        <translation>Saved “%1”.</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>Saving…</translation>
    </message>
    <message>
        <source>Deleted “%1”.</source>
        <translation>Deleted “%1”.</translation>
    </message>
</context>
<context>
    <name>ProfileEditor</name>
    <message>
        <source>The form is not complete</source>
        <translation>The form is not complete</translation>
    </message>
    <message>
        <source>Testing the connection…</source>
        <translation>Testing the connection…</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>The server cannot be reached</source>
        <translation>The server cannot be reached</translation>
    </message>
    <message>
        <source>A mapped field is missing</source>
        <translation>A mapped field is missing</translation>
    </message>
    <message>
        <source>No usable keyring</source>
        <translation>No usable keyring</translation>
    </message>
    <message>
        <source>The keyring is locked</source>
        <translation>The keyring is locked</translation>
    </message>
    <message>
        <source>A secret of this profile is not stored</source>
        <translation>A secret of this profile is not stored</translation>
    </message>
    <message>
        <source>The connection test failed</source>
        <translation>The connection test failed</translation>
    </message>
    <message>
        <source>Reading the fields…</source>
        <translation>Reading the fields…</translation>
    </message>
</context>
<context>
    <name>ProfileForm</name>
    <message>
        <source>Profile name</source>
        <translation>Profile name</translation>
    </message>
    <message>
        <source>e.g. %1</source>
        <translation>e.g. %1</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Name:</translation>
    </message>
    <message>
        <source>Base &amp;URL:</source>
        <translation>Base &amp;URL:</translation>
    </message>
    <message>
        <source>Request timeout in seconds</source>
        <translation>Request timeout in seconds</translation>
    </message>
    <message>
        <source> s</source>
        <translation> s</translation>
    </message>
    <message>
        <source>T&amp;imeout:</source>
        <translation>T&amp;imeout:</translation>
    </message>
    <message>
        <source>Advanced:</source>
        <translation>Advanced:</translation>
    </message>
    <message>
        <source>&amp;Test connection</source>
        <translation>&amp;Test connection</translation>
    </message>
    <message>
        <source>Test the connection with these settings</source>
        <translation>Test the connection with these settings</translation>
    </message>
    <message>
        <source>Connection test result icon</source>
        <translation>Connection test result icon</translation>
    </message>
    <message>
        <source>Connection test result</source>
        <translation>Connection test result</translation>
    </message>
    <message>
        <source>Field mapping</source>
        <translation>Field mapping</translation>
    </message>
    <message>
        <source>&amp;Read fields</source>
        <translation>&amp;Read fields</translation>
    </message>
    <message>
        <source>Read the fields from the backend</source>
        <translation>Read the fields from the backend</translation>
    </message>
    <message>
        <source>Field reading status</source>
        <translation>Field reading status</translation>
    </message>
    <message>
        <source>A saved profile keeps its name</source>
        <translation>A saved profile keeps its name</translation>
    </message>
    <message>
        <source>Read the fields to choose them by their labels.</source>
        <translation>Read the fields to choose them by their labels.</translation>
    </message>
    <message>
        <source>Saved (leave empty to keep it)</source>
        <translation>Saved (leave empty to keep it)</translation>
    </message>
    <message>
        <source>Enter the %1: none is stored for this profile.</source>
        <translation>Enter the %1: none is stored for this profile.</translation>
    </message>
    <message>
        <source>, </source>
        <translation>, </translation>
    </message>
    <message>
        <source>Enter a name for the profile.</source>
        <translation>Enter a name for the profile.</translation>
    </message>
    <message>
        <source>A profile named “%1” exists already.</source>
        <translation>A profile named “%1” exists already.</translation>
    </message>
    <message>
        <source>A profile name may hold letters, digits, “-”, “_” and “.” (at most 64), and cannot be “local”.</source>
        <translation>A profile name may hold letters, digits, “-”, “_” and “.” (at most 64), and cannot be “local”.</translation>
    </message>
    <message>
        <source>base URL</source>
        <translation>base URL</translation>
    </message>
    <message>
        <source>Enter the %1.</source>
        <translation>Enter the %1.</translation>
    </message>
    <message>
        <source>The %1 must start with https://.</source>
        <translation>The %1 must start with https://.</translation>
    </message>
    <message>
        <source>The %1 is not encrypted (http://): the key would travel in clear text. Use https://, or campuscard-cli profiles add --allow-http for a private deployment.</source>
        <translation>The %1 is not encrypted (http://): the key would travel in clear text. Use https://, or campuscard-cli profiles add --allow-http for a private deployment.</translation>
    </message>
    <message>
        <source>Choose a field for: %1</source>
        <translation>Choose a field for: %1</translation>
    </message>
</context>
<context>
    <name>ResultsModel</name>
    <message>
        <source>Student no.</source>
        <translation>Student no.</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Action</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>Result</translation>
    </message>
    <message>
        <source>Reason / error</source>
        <translation>Reason / error</translation>
    </message>
    <message>
        <source>Card record ID</source>
        <translation>Card record ID</translation>
    </message>
</context>
<context>
    <name>ResultsPanel</name>
    <message>
        <source>Job progress</source>
        <translation>Job progress</translation>
    </message>
    <message>
        <source>Job status</source>
        <translation>Job status</translation>
    </message>
    <message>
        <source>No job yet</source>
        <translation>No job yet</translation>
    </message>
    <message>
        <source>Cancel job</source>
        <translation>Cancel job</translation>
    </message>
    <message>
        <source>Cancel the running job</source>
        <translation>Cancel the running job</translation>
    </message>
    <message>
        <source>Job summary</source>
        <translation>Job summary</translation>
    </message>
    <message>
        <source>Show results</source>
        <translation>Show results</translation>
    </message>
    <message>
        <source>All results</source>
        <translation>All results</translation>
    </message>
    <message>
        <source>&amp;Show:</source>
        <translation>&amp;Show:</translation>
    </message>
    <message>
        <source>Retry failed</source>
        <translation>Retry failed</translation>
    </message>
    <message>
        <source>Retry the failed records</source>
        <translation>Retry the failed records</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>Export…</translation>
    </message>
    <message>
        <source>Per-record results</source>
        <translation>Per-record results</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>&amp;Copy</translation>
    </message>
    <message>
        <source>Export results…</source>
        <translation>Export results…</translation>
    </message>
    <message>
        <source>Job %1 started</source>
        <translation>Job %1 started</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 of %2</translation>
    </message>
    <message>
        <source>%1 records/s</source>
        <translation>%1 records/s</translation>
    </message>
    <message>
        <source>Waiting for unanswered writes to settle: %1 s left</source>
        <translation>Waiting for unanswered writes to settle: %1 s left</translation>
    </message>
    <message>
        <source>Rate limited, retrying in %1 s (attempt %2)</source>
        <translation>Rate limited, retrying in %1 s (attempt %2)</translation>
    </message>
    <message>
        <source>Network down, retrying in %1 s (attempt %2)</source>
        <translation>Network down, retrying in %1 s (attempt %2)</translation>
    </message>
    <message>
        <source>No answer in time, retrying in %1 s (attempt %2)</source>
        <translation>No answer in time, retrying in %1 s (attempt %2)</translation>
    </message>
    <message>
        <source>Server busy or in error, retrying in %1 s (attempt %2)</source>
        <translation>Server busy or in error, retrying in %1 s (attempt %2)</translation>
    </message>
    <message>
        <source>The filter shows %1 of the job's %2 records. Export all of them, or only those shown?</source>
        <translation>The filter shows %1 of the job's %2 records. Export all of them, or only those shown?</translation>
    </message>
    <message>
        <source>All %1</source>
        <translation>All %1</translation>
    </message>
    <message>
        <source>Only the %1 shown</source>
        <translation>Only the %1 shown</translation>
    </message>
    <message>
        <source>%1 of %2 students selected</source>
        <translation>%1 of %2 students selected</translation>
    </message>
    <message>
        <source>(the others are hidden by the filter or no longer listed)</source>
        <translation>(the others are hidden by the filter or no longer listed)</translation>
    </message>
    <message>
        <source>Export the results</source>
        <translation>Export the results</translation>
    </message>
    <message>
        <source>Search the results</source>
        <translation>Search the results</translation>
    </message>
    <message>
        <source>Search results…</source>
        <translation>Search results…</translation>
    </message>
    <message>
        <source>Job</source>
        <translation>Job</translation>
    </message>
    <message>
        <source>More for this job</source>
        <translation>More for this job</translation>
    </message>
    <message>
        <source>&amp;Select these students</source>
        <translation>&amp;Select these students</translation>
    </message>
    <message>
        <source>Select, in the student table, the students of the result rows shown</source>
        <translation>Select, in the student table, the students of the result rows shown</translation>
    </message>
    <message>
        <source>&amp;Reverse this job…</source>
        <translation>&amp;Reverse this job…</translation>
    </message>
    <message>
        <source>Save report as &amp;PDF…</source>
        <translation>Save report as &amp;PDF…</translation>
    </message>
    <message>
        <source>&amp;Print report…</source>
        <translation>&amp;Print report…</translation>
    </message>
    <message>
        <source>Export the job's results and its details (%1)</source>
        <translation>Export the job's results and its details (%1)</translation>
    </message>
    <message>
        <source>about %1 left</source>
        <translation>about %1 left</translation>
    </message>
    <message>
        <source>Stopped: %1</source>
        <translation>Stopped: %1</translation>
    </message>
    <message>
        <source>Loading job %1…</source>
        <translation>Loading job %1…</translation>
    </message>
    <message>
        <source>Could not load the job: %1</source>
        <translation>Could not load the job: %1</translation>
    </message>
    <message>
        <source>Job %1 (%2, on “%3”) was cancelled</source>
        <translation>Job %1 (%2, on “%3”) was cancelled</translation>
    </message>
    <message>
        <source>Job %1 (%2, on “%3”) finished</source>
        <translation>Job %1 (%2, on “%3”) finished</translation>
    </message>
    <message>
        <source>Job %1 (%2, on “%3”) is unfinished</source>
        <translation>Job %1 (%2, on “%3”) is unfinished</translation>
    </message>
    <message>
        <source>Succeeded %1 · Failed %2 · Skipped %3 · Cancelled %4</source>
        <translation>Succeeded %1 · Failed %2 · Skipped %3 · Cancelled %4</translation>
    </message>
    <message>
        <source>Reverse a finished job: open one first</source>
        <translation>Reverse a finished job: open one first</translation>
    </message>
    <message>
        <source>An opened card cannot be un-opened here: there is no inverse of Open card</source>
        <translation>An opened card cannot be un-opened here: there is no inverse of Open card</translation>
    </message>
    <message>
        <source>Cancelling a card is irreversible: there is no inverse of Cancel card</source>
        <translation>Cancelling a card is irreversible: there is no inverse of Cancel card</translation>
    </message>
    <message>
        <source>The job is unfinished: resume or discard it first</source>
        <translation>The job is unfinished: resume or discard it first</translation>
    </message>
    <message>
        <source>No record of this job succeeded: there is nothing to reverse</source>
        <translation>No record of this job succeeded: there is nothing to reverse</translation>
    </message>
    <message>
        <source>This job was run on the profile “%1”: its failures are retried there (you are asked before switching to it).</source>
        <translation>This job was run on the profile “%1”: its failures are retried there (you are asked before switching to it).</translation>
    </message>
    <message>
        <source>Retry the failed records as a new job</source>
        <translation>Retry the failed records as a new job</translation>
    </message>
    <message>
        <source>%1 the %2 students whose record succeeded (you confirm first)</source>
        <translation>%1 the %2 students whose record succeeded (you confirm first)</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>Save report as PDF</source>
        <translation>Save report as PDF</translation>
    </message>
    <message>
        <source>PDF (*.pdf)</source>
        <translation>PDF (*.pdf)</translation>
    </message>
    <message>
        <source>Report not written</source>
        <translation>Report not written</translation>
    </message>
    <message>
        <source>The report could not be written to %1.</source>
        <translation>The report could not be written to %1.</translation>
    </message>
    <message>
        <source>Report of job %1 written to %2</source>
        <translation>Report of job %1 written to %2</translation>
    </message>
    <message>
        <source>Print the report of job %1</source>
        <translation>Print the report of job %1</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>Cancelling…</translation>
    </message>
    <message>
        <source>Results</source>
        <translation>Results</translation>
    </message>
    <message>
        <source>CSV, UTF-8 (*.csv)</source>
        <translation>CSV, UTF-8 (*.csv)</translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Excel workbook (*.xlsx)</translation>
    </message>
    <message>
        <source>Export results</source>
        <translation>Export results</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>Cannot write %1: %2</translation>
    </message>
    <message>
        <source>Exported %1 records to %2</source>
        <translation>Exported %1 records to %2</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>Export failed</translation>
    </message>
    <message>
        <source>The results could not be exported: %1</source>
        <translation>The results could not be exported: %1</translation>
    </message>
</context>
<context>
    <name>ResumeDialog</name>
    <message>
        <source>Unfinished jobs</source>
        <translation>Unfinished jobs</translation>
    </message>
    <message numerus="yes">
        <source>%n job(s) did not finish last time (the program was closed or stopped). Continuing sends only what has not been written yet; nothing is written twice.</source>
        <translation><numerusform>%n job did not finish last time (the program was closed or stopped). Continuing sends only what has not been written yet; nothing is written twice.</numerusform><numerusform>%n jobs did not finish last time (the program was closed or stopped). Continuing sends only what has not been written yet; nothing is written twice.</numerusform></translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Time</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Action</translation>
    </message>
    <message>
        <source>Profile</source>
        <translation>Profile</translation>
    </message>
    <message>
        <source>Not done yet</source>
        <translation>Not done yet</translation>
    </message>
    <message>
        <source>&amp;Continue</source>
        <translation>&amp;Continue</translation>
    </message>
    <message>
        <source>Continue the unfinished jobs</source>
        <translation>Continue the unfinished jobs</translation>
    </message>
    <message>
        <source>&amp;Later</source>
        <translation>&amp;Later</translation>
    </message>
    <message>
        <source>Decide later</source>
        <translation>Decide later</translation>
    </message>
    <message>
        <source>&amp;Discard</source>
        <translation>&amp;Discard</translation>
    </message>
    <message>
        <source>Discard: mark what was not written as cancelled</source>
        <translation>Discard: mark what was not written as cancelled</translation>
    </message>
</context>
<context>
    <name>ShenbiEditor</name>
    <message>
        <source>The AK (SecretId) was rejected</source>
        <translation>The AK (SecretId) was rejected</translation>
    </message>
    <message>
        <source>The signature was rejected: check the SK (SecretKey) and the signing settings</source>
        <translation>The signature was rejected: check the SK (SecretKey) and the signing settings</translation>
    </message>
    <message>
        <source>This computer's clock is off</source>
        <translation>This computer's clock is off</translation>
    </message>
    <message>
        <source>The AK/SK may not do this</source>
        <translation>The AK/SK may not do this</translation>
    </message>
    <message>
        <source>The app code is wrong</source>
        <translation>The app code is wrong</translation>
    </message>
    <message>
        <source>An object key is wrong</source>
        <translation>An object key is wrong</translation>
    </message>
    <message>
        <source>Connected: the AK/SK, the app, both objects and the mapped fields were accepted.</source>
        <translation>Connected: the AK/SK, the app, both objects and the mapped fields were accepted.</translation>
    </message>
    <message>
        <source>C&amp;oncurrent writes:</source>
        <translation>C&amp;oncurrent writes:</translation>
    </message>
    <message>
        <source>Write requests in flight at once</source>
        <translation>Write requests in flight at once</translation>
    </message>
    <message>
        <source>Students object</source>
        <translation>Students object</translation>
    </message>
    <message>
        <source>Cards object</source>
        <translation>Cards object</translation>
    </message>
    <message>
        <source>OpenAPI &amp;URL:</source>
        <translation>OpenAPI &amp;URL:</translation>
    </message>
    <message>
        <source>The address on Shenbi's access preparation (接入准备) page, https://…</source>
        <translation>The address on Shenbi's access preparation (接入准备) page, https://…</translation>
    </message>
    <message>
        <source>&amp;AK (SecretId):</source>
        <translation>&amp;AK (SecretId):</translation>
    </message>
    <message>
        <source>SK (SecretK&amp;ey):</source>
        <translation>SK (SecretK&amp;ey):</translation>
    </message>
    <message>
        <source>Issued by Shenbi for the tenant (OpenAPI access preparation)</source>
        <translation>Issued by Shenbi for the tenant (OpenAPI access preparation)</translation>
    </message>
    <message>
        <source>OpenAPI URL</source>
        <translation>OpenAPI URL</translation>
    </message>
    <message>
        <source>Shenbi connection</source>
        <translation>Shenbi connection</translation>
    </message>
    <message>
        <source>Shenbi has no public field list: type each field's ID (对象建模 → 字段) and the option labels.</source>
        <translation>Shenbi has no public field list: type each field's ID (对象建模 → 字段) and the option labels.</translation>
    </message>
    <message>
        <source>AK (SecretId)</source>
        <translation>AK (SecretId)</translation>
    </message>
    <message>
        <source>SK (SecretKey)</source>
        <translation>SK (SecretKey)</translation>
    </message>
    <message>
        <source>The students object and the cards object must be two objects.</source>
        <translation>The students object and the cards object must be two objects.</translation>
    </message>
    <message>
        <source>The SecretKey issued with the AK</source>
        <translation>The SecretKey issued with the AK</translation>
    </message>
</context>
<context>
    <name>StatusArea</name>
    <message>
        <source>Rows shown</source>
        <translation>Rows shown</translation>
    </message>
    <message>
        <source>Rows selected</source>
        <translation>Rows selected</translation>
    </message>
    <message>
        <source>Profile and connection</source>
        <translation>Profile and connection</translation>
    </message>
    <message>
        <source>Demo data</source>
        <translation>Demo data</translation>
    </message>
    <message>
        <source>The students and cards are generated demo data</source>
        <translation>The students and cards are generated demo data</translation>
    </message>
    <message>
        <source>Loading students</source>
        <translation>Loading students</translation>
    </message>
    <message>
        <source>Records read so far</source>
        <translation>Records read so far</translation>
    </message>
    <message>
        <source>Keyring problem</source>
        <translation>Keyring problem</translation>
    </message>
    <message>
        <source>No keyring</source>
        <translation>No keyring</translation>
    </message>
    <message>
        <source>Profile: %1 · %2</source>
        <translation>Profile: %1 · %2</translation>
    </message>
    <message>
        <source>%1 of %2 students shown</source>
        <translation>%1 of %2 students shown</translation>
    </message>
    <message numerus="yes">
        <source>%Ln selected</source>
        <translation><numerusform>%Ln selected</numerusform><numerusform>%Ln selected</numerusform></translation>
    </message>
    <message>
        <source>Loading %1 of %2…</source>
        <translation>Loading %1 of %2…</translation>
    </message>
    <message numerus="yes">
        <source>Loading… records read: %Ln</source>
        <translation><numerusform>Loading… records read: %Ln</numerusform><numerusform>Loading… records read: %Ln</numerusform></translation>
    </message>
    <message>
        <source>Remote profiles cannot be used: %1</source>
        <translation>Remote profiles cannot be used: %1</translation>
    </message>
</context>
<context>
    <name>StudentTableModel</name>
    <message>
        <source>Student No.</source>
        <translation>Student No.</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>College</source>
        <translation>College</translation>
    </message>
    <message>
        <source>Class</source>
        <translation>Class</translation>
    </message>
    <message>
        <source>Student status</source>
        <translation>Student status</translation>
    </message>
    <message>
        <source>Card status</source>
        <translation>Card status</translation>
    </message>
    <message>
        <source>Opened at</source>
        <translation>Opened at</translation>
    </message>
    <message>
        <source>Balance</source>
        <translation>Balance</translation>
    </message>
    <message>
        <source>Card ID</source>
        <translation>Card ID</translation>
    </message>
</context>
<context>
    <name>StudentTableView</name>
    <message>
        <source>Students</source>
        <translation>Students</translation>
    </message>
    <message>
        <source>Default columns</source>
        <translation>Default columns</translation>
    </message>
    <message>
        <source>No students match the filter. Clear the search or choose the preset “All students”.</source>
        <translation>No students match the filter. Clear the search or choose the preset “All students”.</translation>
    </message>
</context>
<context>
    <name>TemplateSaver</name>
    <message>
        <source>CSV, UTF-8 (*.csv)</source>
        <translation>CSV, UTF-8 (*.csv)</translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Excel workbook (*.xlsx)</translation>
    </message>
    <message>
        <source>students-template</source>
        <translation>students-template</translation>
    </message>
    <message>
        <source>Save import template</source>
        <translation>Save import template</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>Cannot write %1: %2</translation>
    </message>
    <message>
        <source>Template not saved</source>
        <translation>Template not saved</translation>
    </message>
</context>
<context>
    <name>Workers</name>
    <message>
        <source>An unexpected error occurred. Details were written to the log file.</source>
        <translation>An unexpected error occurred. Details were written to the log file.</translation>
    </message>
</context>
<context>
    <name>_StatusFilterButton</name>
    <message>
        <source>All</source>
        <translation>All</translation>
    </message>
    <message>
        <source>, </source>
        <translation>, </translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>Filter. Press Space for the choices: %1</source>
        <translation>Filter. Press Space for the choices: %1</translation>
    </message>
</context>
</TS>