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
        <source>Planning…</source>
        <translation>Planning…</translation>
    </message>
    <message>
        <source>A job is running; open past jobs when it has finished.</source>
        <translation>A job is running; open past jobs when it has finished.</translation>
    </message>
    <message>
        <source>Import done: %1 added, %2 updated.</source>
        <translation>Import done: %1 added, %2 updated.</translation>
    </message>
</context>
<context>
    <name>App</name>
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
        <source>Skipped students by reason</source>
        <translation>Skipped students by reason</translation>
    </message>
    <message numerus="yes">
        <source>%n selected student(s) will be skipped:</source>
        <translation><numerusform>%n selected student(s) will be skipped:</numerusform><numerusform>%n selected student(s) will be skipped:</numerusform></translation>
    </message>
    <message>
        <source>No selected student is skipped.</source>
        <translation>No selected student is skipped.</translation>
    </message>
    <message>
        <source>Cancelling a card cannot be undone. To confirm, type the number of cards that will be cancelled (%1):</source>
        <translation>Cancelling a card cannot be undone. To confirm, type the number of cards that will be cancelled (%1):</translation>
    </message>
    <message>
        <source>Number of cards to cancel</source>
        <translation>Number of cards to cancel</translation>
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
        <source>A campus card will be opened for %n student(s).</source>
        <translation><numerusform>A campus card will be opened for %n student(s).</numerusform><numerusform>A campus card will be opened for %n student(s).</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>The card of %n student(s) will be frozen.</source>
        <translation><numerusform>The card of %n student(s) will be frozen.</numerusform><numerusform>The card of %n student(s) will be frozen.</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>The card of %n student(s) will be unfrozen.</source>
        <translation><numerusform>The card of %n student(s) will be unfrozen.</numerusform><numerusform>The card of %n student(s) will be unfrozen.</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>The card of %n student(s) will be cancelled.</source>
        <translation><numerusform>The card of %n student(s) will be cancelled.</numerusform><numerusform>The card of %n student(s) will be cancelled.</numerusform></translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Reason</translation>
    </message>
    <message>
        <source>Students</source>
        <translation>Students</translation>
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
        <source>Student status filter</source>
        <translation>Student status filter</translation>
    </message>
    <message>
        <source>Card status</source>
        <translation>Card status</translation>
    </message>
    <message>
        <source>Card status filter</source>
        <translation>Card status filter</translation>
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
    <message numerus="yes">
        <source>%n job(s)</source>
        <translation><numerusform>%n job(s)</numerusform><numerusform>%n job(s)</numerusform></translation>
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
        <source>Job %1</source>
        <translation>Job %1</translation>
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
        <source>Columns</source>
        <translation>Columns</translation>
    </message>
    <message>
        <source>Column for %1</source>
        <translation>Column for %1</translation>
    </message>
    <message>
        <source>Preview of the first rows</source>
        <translation>Preview of the first rows</translation>
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
        <source>Required fields are marked with *.</source>
        <translation>Required fields are marked with *.</translation>
    </message>
    <message>
        <source>&amp;Import</source>
        <translation>&amp;Import</translation>
    </message>
    <message>
        <source>Import the students</source>
        <translation>Import the students</translation>
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
    <message numerus="yes">
        <source>%n data row(s) read. Check the columns, then import.</source>
        <translation><numerusform>%n data row(s) read. Check the columns, then import.</numerusform><numerusform>%n data row(s) read. Check the columns, then import.</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>Checking %n row(s)…</source>
        <translation><numerusform>Checking %n row(s)…</numerusform><numerusform>Checking %n row(s)…</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n row(s) cannot be imported. Nothing was imported; correct the file and try again.</source>
        <translation><numerusform>%n row(s) cannot be imported. Nothing was imported; correct the file and try again.</numerusform><numerusform>%n row(s) cannot be imported. Nothing was imported; correct the file and try again.</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>Importing %n student(s)…</source>
        <translation><numerusform>Importing %n student(s)…</numerusform><numerusform>Importing %n student(s)…</numerusform></translation>
    </message>
    <message>
        <source>Imported.</source>
        <translation>Imported.</translation>
    </message>
</context>
<context>
    <name>JobController</name>
    <message>
        <source>The job stopped because of an unexpected error. It stays unfinished and can be resumed. Details were written to the log file.</source>
        <translation>The job stopped because of an unexpected error. It stays unfinished and can be resumed. Details were written to the log file.</translation>
    </message>
</context>
<context>
    <name>Labels</name>
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
        <source>connecting…</source>
        <translation>connecting…</translation>
    </message>
    <message>
        <source>Profile: %1 · %2</source>
        <translation>Profile: %1 · %2</translation>
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
        <source>%1 of %2 students shown</source>
        <translation>%1 of %2 students shown</translation>
    </message>
    <message numerus="yes">
        <source>%n selected</source>
        <translation><numerusform>%n selected</numerusform><numerusform>%n selected</numerusform></translation>
    </message>
    <message>
        <source>A job is running. Cancel it and quit? Records not sent yet are marked cancelled; what was sent is kept in the journal.</source>
        <translation>A job is running. Cancel it and quit? Records not sent yet are marked cancelled; what was sent is kept in the journal.</translation>
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
        <source>Export the shown results</source>
        <translation>Export the shown results</translation>
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
        <source>Job %1 (%2) was cancelled</source>
        <translation>Job %1 (%2) was cancelled</translation>
    </message>
    <message>
        <source>Job %1 (%2) finished</source>
        <translation>Job %1 (%2) finished</translation>
    </message>
    <message>
        <source>Job %1 (%2) is unfinished</source>
        <translation>Job %1 (%2) is unfinished</translation>
    </message>
    <message>
        <source>Succeeded %1 · Failed %2 · Skipped %3 · Cancelled %4</source>
        <translation>Succeeded %1 · Failed %2 · Skipped %3 · Cancelled %4</translation>
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
        <translation><numerusform>%n job(s) did not finish last time (the program was closed or stopped). Continuing sends only what has not been written yet; nothing is written twice.</numerusform><numerusform>%n job(s) did not finish last time (the program was closed or stopped). Continuing sends only what has not been written yet; nothing is written twice.</numerusform></translation>
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
</context>
<context>
    <name>StudentTableView</name>
    <message>
        <source>Students</source>
        <translation>Students</translation>
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
</context>
</TS>