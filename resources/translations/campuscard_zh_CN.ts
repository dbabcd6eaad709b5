<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>ActionFlow</name>
    <message>
        <source>Open card</source>
        <translation>开通一卡通</translation>
    </message>
    <message>
        <source>Open a campus card for the selected students</source>
        <translation>为选中的学生开通一卡通</translation>
    </message>
    <message>
        <source>Freeze</source>
        <translation>冻结</translation>
    </message>
    <message>
        <source>Freeze the cards of the selected students</source>
        <translation>冻结选中学生的一卡通</translation>
    </message>
    <message>
        <source>Unfreeze</source>
        <translation>解冻</translation>
    </message>
    <message>
        <source>Unfreeze the cards of the selected students</source>
        <translation>解冻选中学生的一卡通</translation>
    </message>
    <message>
        <source>Cancel card</source>
        <translation>注销</translation>
    </message>
    <message>
        <source>Cancel the cards of the selected students (irreversible)</source>
        <translation>注销选中学生的一卡通（不可撤销）</translation>
    </message>
    <message>
        <source>The profile “%1” is not open yet (it is loading, or it could not be opened). Try again when its students are shown. Nothing was written.</source>
        <translation>配置“%1”尚未打开（正在加载，或无法打开）。请在其学生显示后再试。没有写入任何数据。</translation>
    </message>
    <message>
        <source>Job %1 was run on the profile “%2”, which no longer exists. Its failures are never retried on another profile. Nothing was written.</source>
        <translation>任务 %1 是在配置“%2”上执行的，该配置已不存在。它的失败项不会在其他配置上重试。没有写入任何数据。</translation>
    </message>
    <message>
        <source>Job %1 was run on the profile “%2” (%3), not on the profile open now (“%4”). Its failures can only be retried there.

Switch to “%2” and retry? Its students are loaded first, and you confirm before anything is written.</source>
        <translation>任务 %1 是在配置“%2”（%3）上执行的，不是当前打开的配置（“%4”）。它的失败项只能在“%2”上重试。

切换到“%2”并重试吗？将先加载它的学生，写入前还会请您确认。</translation>
    </message>
    <message>
        <source>Switch and retry</source>
        <translation>切换并重试</translation>
    </message>
    <message>
        <source>Opening the profile “%1” to retry job %2…</source>
        <translation>正在打开配置“%1”以重试任务 %2…</translation>
    </message>
    <message>
        <source>The profile “%1” is not the one open now; job %2 was not retried. Nothing was written.</source>
        <translation>当前打开的不是配置“%1”，任务 %2 未重试。没有写入任何数据。</translation>
    </message>
    <message>
        <source>The profile “%1” could not be opened: %2

Job %3 was not retried. Nothing was written.</source>
        <translation>无法打开配置“%1”：%2

任务 %3 未重试。没有写入任何数据。</translation>
    </message>
    <message>
        <source>Planning…</source>
        <translation>正在生成计划…</translation>
    </message>
    <message numerus="yes">
        <source>Rows hidden because they no longer match the filter: %Ln</source>
        <translation>
            <numerusform>%Ln 名学生已不符合筛选条件，已从列表中隐藏。</numerusform>
        </translation>
    </message>
    <message>
        <source>A job is running; open past jobs when it has finished.</source>
        <translation>有任务正在执行；请在其结束后再打开历史任务。</translation>
    </message>
    <message numerus="yes">
        <source>%n unfinished job(s) of other profiles (%1) will be offered when their profile is opened.</source>
        <translation>
            <numerusform>其他配置（%1）还有 %n 个未完成的任务，打开相应配置时会询问是否继续。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n unfinished job(s) of profiles that no longer exist (%1) cannot be continued.</source>
        <translation>
            <numerusform>已不存在的配置（%1）有 %n 个未完成的任务，无法继续执行。</numerusform>
        </translation>
    </message>
    <message>
        <source>Import done: %1 added, %2 updated.</source>
        <translation>导入完成：新增 %1 名，更新 %2 名。</translation>
    </message>
</context>
<context>
    <name>App</name>
    <message>
        <source>no permission to write there</source>
        <translation>没有写入权限</translation>
    </message>
    <message>
        <source>the file system is read-only</source>
        <translation>文件系统是只读的</translation>
    </message>
    <message>
        <source>a file is in the way where the folder should be</source>
        <translation>该位置是一个文件，不是文件夹</translation>
    </message>
    <message>
        <source>the disk is full</source>
        <translation>磁盘已满</translation>
    </message>
    <message>
        <source>The data folder cannot be used:
%1

Reason: %2.

The job journal and the local database are kept in this folder, so no job can run. Make the folder writable (or set CAMPUSCARD_DATA_DIR to another folder) and start the program again.</source>
        <translation>数据文件夹无法使用：
%1

原因：%2。

任务日志和本地数据库保存在这个文件夹中，因此无法执行任何任务。请让该文件夹可以写入（或把 CAMPUSCARD_DATA_DIR 设为另一个文件夹），然后重新打开程序。</translation>
    </message>
    <message>
        <source>The settings folder cannot be used:
%1

Reason: %2.

Profiles and settings are kept in this folder. Fix the folder (or set CAMPUSCARD_CONFIG_DIR to another folder) and start the program again.</source>
        <translation>配置文件夹无法使用：
%1

原因：%2。

配置和设置保存在这个文件夹中。请修复该文件夹（或把 CAMPUSCARD_CONFIG_DIR 设为另一个文件夹），然后重新打开程序。</translation>
    </message>
    <message>
        <source>The log folder cannot be used:
%1

Reason: %2.

The program works as usual, but its log goes to the standard error output instead of a file until the folder is fixed.</source>
        <translation>日志文件夹无法使用：
%1

原因：%2。

程序照常工作，但在该文件夹修复之前，日志只写到标准错误输出，不写入文件。</translation>
    </message>
    <message>
        <source>Log folder</source>
        <translation>日志文件夹</translation>
    </message>
    <message>
        <source>Log folder notice</source>
        <translation>日志文件夹提示</translation>
    </message>
    <message>
        <source>Campus Card Batch Manager</source>
        <translation>校园一卡通批量管理</translation>
    </message>
</context>
<context>
    <name>ConfirmDialog</name>
    <message>
        <source>Confirm: %1</source>
        <translation>确认：%1</translation>
    </message>
    <message>
        <source>Writes to: %1</source>
        <translation>写入：%1</translation>
    </message>
    <message>
        <source>%1
Each student&apos;s card is read again right before it is written: a card that changed since is skipped, never overwritten.</source>
        <translation>%1
每名学生的卡在写入前都会重新读取：此后被他人修改的卡会跳过，绝不会被覆盖。</translation>
    </message>
    <message>
        <source>Skipped students by reason</source>
        <translation>按原因统计的跳过学生</translation>
    </message>
    <message numerus="yes">
        <source>%Ln selected student(s) will be skipped:</source>
        <translation>
            <numerusform>选中的学生中有 %Ln 名将被跳过：</numerusform>
        </translation>
    </message>
    <message>
        <source>No selected student is skipped.</source>
        <translation>选中的学生均不会被跳过。</translation>
    </message>
    <message>
        <source>Total balance on the cards that will be cancelled: %1</source>
        <translation>注销的卡上余额合计 %1</translation>
    </message>
    <message>
        <source>Show the list of students</source>
        <translation>显示学生名单</translation>
    </message>
    <message>
        <source>&amp;Export plan…</source>
        <translation>导出计划(&amp;E)…</translation>
    </message>
    <message>
        <source>Export the plan: the students written and skipped, with the reasons</source>
        <translation>导出计划：将写入和将跳过的学生及原因</translation>
    </message>
    <message>
        <source>Students in this job</source>
        <translation>本次任务的学生</translation>
    </message>
    <message>
        <source>Cancelling a card cannot be undone. To confirm, type the number of cards that will be cancelled (%1):</source>
        <translation>注销后不可撤销。请输入将被注销的卡数量（%1）以确认：</translation>
    </message>
    <message>
        <source>This job writes %1 records at once. To confirm, type that number:</source>
        <translation>此任务将一次写入 %1 条记录。请输入这个数字以确认：</translation>
    </message>
    <message>
        <source>Number of cards to cancel</source>
        <translation>要注销的卡数量</translation>
    </message>
    <message>
        <source>Number of records to write</source>
        <translation>要写入的记录数</translation>
    </message>
    <message>
        <source>Do not run</source>
        <translation>不执行</translation>
    </message>
    <message>
        <source>Nothing will be written: none of the selected students can be changed this way.</source>
        <translation>不会写入任何记录：选中的学生都不适用此操作。</translation>
    </message>
    <message numerus="yes">
        <source>A campus card will be opened for %Ln student(s).</source>
        <translation>
            <numerusform>将为 %Ln 名学生开通一卡通。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The card of %Ln student(s) will be frozen.</source>
        <translation>
            <numerusform>将冻结 %Ln 名学生的一卡通。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The card of %Ln student(s) will be unfrozen.</source>
        <translation>
            <numerusform>将解冻 %Ln 名学生的一卡通。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The card of %Ln student(s) will be cancelled.</source>
        <translation>
            <numerusform>将注销 %Ln 名学生的一卡通。</numerusform>
        </translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Students</source>
        <translation>学生</translation>
    </message>
    <message>
        <source>Hide the list of students (%1)</source>
        <translation>隐藏学生名单（%1）</translation>
    </message>
    <message>
        <source>Show the list of students (%1)</source>
        <translation>显示学生名单（%1）</translation>
    </message>
    <message>
        <source>Export plan</source>
        <translation>导出计划</translation>
    </message>
    <message>
        <source>CSV, UTF-8 (*.csv)</source>
        <translation>CSV，UTF-8 (*.csv)</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Writes to</source>
        <translation>写入</translation>
    </message>
    <message>
        <source>Written</source>
        <translation>将写入</translation>
    </message>
    <message>
        <source>Skipped</source>
        <translation>将跳过</translation>
    </message>
    <message>
        <source>Total balance on the cards cancelled</source>
        <translation>注销的卡上余额合计</translation>
    </message>
    <message>
        <source>Skipped because</source>
        <translation>跳过原因</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>导出失败</translation>
    </message>
</context>
<context>
    <name>CrashDialog</name>
    <message>
        <source>Unexpected error</source>
        <translation>意外错误</translation>
    </message>
    <message>
        <source>Error details</source>
        <translation>错误详细信息</translation>
    </message>
    <message>
        <source>Keep working</source>
        <translation>继续工作</translation>
    </message>
    <message>
        <source>Show details</source>
        <translation>显示详细信息</translation>
    </message>
    <message>
        <source>Copy details</source>
        <translation>复制详细信息</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>Hide details</source>
        <translation>隐藏详细信息</translation>
    </message>
</context>
<context>
    <name>CrashReporter</name>
    <message>
        <source>the standard error output</source>
        <translation>标准错误输出</translation>
    </message>
    <message>
        <source>The program met an error it did not expect. Your work is safe: every job&apos;s progress is kept in the job journal, and anything sent is read back before it would be sent again, so an unfinished job can be continued later.

The details are in the log: %1</source>
        <translation>程序遇到了一个意外错误。您的工作是安全的：每个任务的进度都保存在任务日志中，已发送的内容在再次发送前都会先到后台核对，未完成的任务可以稍后继续。

详细信息已写入日志：%1</translation>
    </message>
    <message numerus="yes">
        <source>This happened %n times.</source>
        <translation>
            <numerusform>此错误已出现 %n 次。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>DemoReset</name>
    <message>
        <source>Reset the demo school? Every student and card in %1 is replaced by the generated demo school as on the first start, students you imported too. The job history is kept. This cannot be undone.</source>
        <translation>重置演示学校？%1 中的所有学生和卡记录都将被替换为首次启动时生成的演示学校，包括您导入的学生。任务历史记录会保留。此操作无法撤销。</translation>
    </message>
    <message>
        <source>Reset demo school</source>
        <translation>重置演示学校</translation>
    </message>
</context>
<context>
    <name>FieldMappingBox</name>
    <message>
        <source>Student No.</source>
        <translation>学号</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>College</source>
        <translation>学院</translation>
    </message>
    <message>
        <source>Class</source>
        <translation>班级</translation>
    </message>
    <message>
        <source>Student status</source>
        <translation>学籍状态</translation>
    </message>
    <message>
        <source>Card&apos;s student</source>
        <translation>所属学生</translation>
    </message>
    <message>
        <source>Opened at</source>
        <translation>开通时间</translation>
    </message>
    <message>
        <source>Balance</source>
        <translation>余额</translation>
    </message>
    <message>
        <source>Card status</source>
        <translation>卡状态</translation>
    </message>
    <message>
        <source>Students form</source>
        <translation>学生表单</translation>
    </message>
    <message>
        <source>Cards form</source>
        <translation>卡记录表单</translation>
    </message>
    <message>
        <source>Field for %1</source>
        <translation>%1 对应的字段</translation>
    </message>
    <message>
        <source>The field&apos;s key (its ID in the object)</source>
        <translation>字段的 key（对象中的字段 ID）</translation>
    </message>
    <message>
        <source>Option for “%1”</source>
        <translation>“%1”对应选项</translation>
    </message>
    <message>
        <source>Option label meaning “%1”</source>
        <translation>表示“%1”的选项文字</translation>
    </message>
    <message>
        <source>The option of the select field that means this status</source>
        <translation>单选/下拉字段中表示此状态的选项</translation>
    </message>
    <message>
        <source>Read the fields from the forms to choose another</source>
        <translation>从表单读取字段后可改选其他字段</translation>
    </message>
    <message>
        <source>(choose a field)</source>
        <translation>（请选择字段）</translation>
    </message>
</context>
<context>
    <name>FilterBar</name>
    <message>
        <source>Search student no., name or class</source>
        <translation>搜索学号、姓名或班级</translation>
    </message>
    <message>
        <source>Search students</source>
        <translation>搜索学生</translation>
    </message>
    <message>
        <source>Filters as you type (student no., name or class; case-insensitive)</source>
        <translation>输入即筛选（学号、姓名或班级；不区分大小写）</translation>
    </message>
    <message>
        <source>Student status</source>
        <translation>学籍状态</translation>
    </message>
    <message>
        <source>Card status</source>
        <translation>一卡通状态</translation>
    </message>
    <message>
        <source>Preset:</source>
        <translation>预设：</translation>
    </message>
    <message>
        <source>Filter preset</source>
        <translation>筛选预设</translation>
    </message>
    <message>
        <source>Custom</source>
        <translation>自定义</translation>
    </message>
    <message>
        <source>All students</source>
        <translation>全部学生</translation>
    </message>
    <message>
        <source>To open: enrolled, no card</source>
        <translation>待开通：在读、未开通</translation>
    </message>
    <message>
        <source>To freeze: suspended, card active</source>
        <translation>待冻结：休学、卡正常</translation>
    </message>
    <message>
        <source>To cancel: withdrawn, card active or frozen</source>
        <translation>待注销：退学、卡正常或冻结</translation>
    </message>
    <message>
        <source>Graduated: card active or frozen</source>
        <translation>已毕业：卡为正常或冻结</translation>
    </message>
    <message>
        <source>Select all filtered</source>
        <translation>全选筛选结果</translation>
    </message>
    <message>
        <source>Select all filtered rows</source>
        <translation>全选筛选出的行</translation>
    </message>
    <message>
        <source>Select every row the filter shows</source>
        <translation>选中筛选显示的所有行</translation>
    </message>
    <message>
        <source>Find</source>
        <translation>查找</translation>
    </message>
</context>
<context>
    <name>FirstStartBanner</name>
    <message>
        <source>Welcome. This is a demo school (generated students, marked “Demo data”): try any action on it. To work on your own students, import them (File ▸ Import students…, Ctrl+I) or add a profile for your backend (File ▸ Manage profiles…, Ctrl+Shift+P). F1 shows how to begin.</source>
        <translation>欢迎使用。当前是演示学校（生成的学生，标有“演示数据”），可以放心试用任何操作。要处理您自己的学生，请导入学生（文件 ▸ 导入学生…，Ctrl+I），或为您的后台添加配置（文件 ▸ 管理配置…，Ctrl+Shift+P）。按 F1 查看入门说明。</translation>
    </message>
    <message>
        <source>Got it</source>
        <translation>知道了</translation>
    </message>
    <message>
        <source>Hide the first-start hint</source>
        <translation>隐藏首次启动提示</translation>
    </message>
</context>
<context>
    <name>HelpDialog</name>
    <message>
        <source>About Campus Card Batch Manager</source>
        <translation>关于 校园一卡通批量管理</translation>
    </message>
    <message>
        <source>Help</source>
        <translation>帮助</translation>
    </message>
    <message>
        <source>Version %1</source>
        <translation>版本 %1</translation>
    </message>
    <message>
        <source>The first start creates a demo school (2,000 generated students, marked “Demo data” in the status bar): every action can be rehearsed on it.</source>
        <translation>首次启动时会创建一个演示学校（2,000 名生成的学生，状态栏标有“演示数据”），所有操作都可以在上面演练。</translation>
    </message>
    <message>
        <source>Your own students on this PC: File ▸ Import students… (Ctrl+I) reads a CSV or Excel file into the local database.</source>
        <translation>在本机处理自己的学生：文件 ▸ 导入学生…（Ctrl+I）把 CSV 或 Excel 文件读入本地数据库。</translation>
    </message>
    <message>
        <source>Jiandaoyun, kintone, Shenbi or an iPaaS flow: File ▸ Manage profiles… (Ctrl+Shift+P) adds a profile; its secrets go to the system keyring, never to a file. Test connection checks it.</source>
        <translation>简道云、kintone、神笔或 iPaaS 流程：文件 ▸ 管理配置…（Ctrl+Shift+P）添加配置；密钥保存在系统密钥环中，从不写入文件。“测试连接”可检查配置。</translation>
    </message>
    <message>
        <source>To rehearse without a real server, run campuscard-sandbox and point a profile at the address it prints.</source>
        <translation>如需在没有真实服务器的情况下演练，请运行 campuscard-sandbox，并让配置指向它输出的地址。</translation>
    </message>
    <message>
        <source>File ▸ Reset demo school… brings the demo data back as on the first start (the built-in local profile only).</source>
        <translation>文件 ▸ 重置演示学校… 可把演示数据恢复为首次启动时的状态（仅限内置的本地配置）。</translation>
    </message>
    <message>
        <source>The README (“Set up”, “What an operator does”, “Connecting to …”) has the details; campuscard-cli does the same from scripts.</source>
        <translation>详细说明见 README（“Set up”“What an operator does”“Connecting to …”各节）；campuscard-cli 可在脚本中完成同样的工作。</translation>
    </message>
    <message>
        <source>Ctrl+F search, Down into the table, Tab out of it</source>
        <translation>Ctrl+F 搜索，向下键进入表格，Tab 离开表格</translation>
    </message>
    <message>
        <source>Ctrl+C copies the selected rows (tab-separated, with the header)</source>
        <translation>Ctrl+C 复制选中的行（制表符分隔，含表头）</translation>
    </message>
    <message>
        <source>Ctrl+Shift+O / F / U / X: open, freeze, unfreeze, cancel cards</source>
        <translation>Ctrl+Shift+O / F / U / X：开通、冻结、解冻、注销</translation>
    </message>
    <message>
        <source>Enter confirms; Ctrl+Shift+E exports the results; F5 refreshes</source>
        <translation>Enter 确认；Ctrl+Shift+E 导出结果；F5 刷新</translation>
    </message>
    <message>
        <source>Ctrl+Shift+M shows the messages; F1 this help</source>
        <translation>Ctrl+Shift+M 查看消息；F1 打开本帮助</translation>
    </message>
    <message>
        <source>Settings and profiles: %1</source>
        <translation>设置和配置：%1</translation>
    </message>
    <message>
        <source>Local database and journal: %1</source>
        <translation>本地数据库和任务日志：%1</translation>
    </message>
    <message>
        <source>Logs: %1</source>
        <translation>运行日志：%1</translation>
    </message>
    <message>
        <source>Campus Card Batch Manager</source>
        <translation>校园一卡通批量管理</translation>
    </message>
    <message>
        <source>Opens, freezes, unfreezes and cancels campus cards for many students at once, on Jiandaoyun, kintone, Shenbi, an iPaaS flow or a local database.</source>
        <translation>在简道云、kintone、神笔、iPaaS 流程或本地数据库上，为大批学生一次性开通、冻结、解冻和注销校园卡。</translation>
    </message>
    <message>
        <source>How to begin</source>
        <translation>如何开始</translation>
    </message>
    <message>
        <source>Keyboard</source>
        <translation>键盘操作</translation>
    </message>
    <message>
        <source>Where things are kept</source>
        <translation>文件保存位置</translation>
    </message>
</context>
<context>
    <name>History</name>
    <message>
        <source>Unfinished</source>
        <translation>未完成</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
</context>
<context>
    <name>HistoryDialog</name>
    <message>
        <source>Job history</source>
        <translation>历史记录</translation>
    </message>
    <message>
        <source>Past jobs, newest first</source>
        <translation>历史任务（最新在前）</translation>
    </message>
    <message>
        <source>Search the jobs</source>
        <translation>搜索任务</translation>
    </message>
    <message>
        <source>Search: job id, operator, profile, action, state, date…</source>
        <translation>搜索：任务号、操作员、配置、操作、状态、日期…</translation>
    </message>
    <message>
        <source>&amp;Search:</source>
        <translation>搜索(&amp;S)：</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>正在加载…</translation>
    </message>
    <message>
        <source>&amp;Open</source>
        <translation>打开(&amp;O)</translation>
    </message>
    <message>
        <source>Open the selected job</source>
        <translation>打开选中的任务</translation>
    </message>
    <message>
        <source>Close the history</source>
        <translation>关闭历史记录</translation>
    </message>
    <message>
        <source>Jobs: %1 of %2</source>
        <translation>任务：%2 个中的 %1 个</translation>
    </message>
    <message>
        <source>Jobs: %1</source>
        <translation>任务：%1 个</translation>
    </message>
    <message numerus="yes">
        <source>(%n more could not be read: they hold values this version does not know)</source>
        <translation>
            <numerusform>（另有 %n 个任务无法读取：其中有本版本无法识别的值）</numerusform>
        </translation>
    </message>
    <message>
        <source>Could not read the job history: %1</source>
        <translation>无法读取历史记录：%1</translation>
    </message>
</context>
<context>
    <name>HistoryModel</name>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Operator</source>
        <translation>操作员</translation>
    </message>
    <message>
        <source>Profile</source>
        <translation>配置</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Job</source>
        <translation>任务</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>总数</translation>
    </message>
    <message>
        <source>Succeeded</source>
        <translation>成功</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>Skipped</source>
        <translation>跳过</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>Ended %1</source>
        <translation>结束于 %1</translation>
    </message>
</context>
<context>
    <name>ImportDialog</name>
    <message>
        <source>Import students</source>
        <translation>导入学生</translation>
    </message>
    <message>
        <source>Student No.</source>
        <translation>学号</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>College</source>
        <translation>学院</translation>
    </message>
    <message>
        <source>Class</source>
        <translation>班级</translation>
    </message>
    <message>
        <source>Student status</source>
        <translation>学籍状态</translation>
    </message>
    <message>
        <source>File to import</source>
        <translation>要导入的文件</translation>
    </message>
    <message>
        <source>Choose a CSV or XLSX file</source>
        <translation>选择 CSV 或 XLSX 文件</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>浏览(&amp;B)…</translation>
    </message>
    <message>
        <source>Choose the file to import</source>
        <translation>选择要导入的文件</translation>
    </message>
    <message>
        <source>Save &amp;template…</source>
        <translation>导出模板(&amp;T)…</translation>
    </message>
    <message>
        <source>Save an import template: the expected headers and an example row</source>
        <translation>导出导入模板：所需的表头和一行示例</translation>
    </message>
    <message>
        <source>Columns</source>
        <translation>列对应</translation>
    </message>
    <message>
        <source>Column for %1</source>
        <translation>%1 对应的列</translation>
    </message>
    <message>
        <source>Required columns not found</source>
        <translation>缺少必需的列</translation>
    </message>
    <message>
        <source>Preview of the first rows</source>
        <translation>前几行预览</translation>
    </message>
    <message>
        <source>Values that are not accepted</source>
        <translation>无法识别的值</translation>
    </message>
    <message>
        <source>Rows that cannot be imported</source>
        <translation>无法导入的行</translation>
    </message>
    <message>
        <source>Row</source>
        <translation>行</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>What the import will do</source>
        <translation>导入将做的更改</translation>
    </message>
    <message>
        <source>Students to import</source>
        <translation>要导入的学生</translation>
    </message>
    <message>
        <source>New students</source>
        <translation>新增学生</translation>
    </message>
    <message>
        <source>Changes to existing students</source>
        <translation>已有学生的更改</translation>
    </message>
    <message>
        <source>Required fields are marked with *.</source>
        <translation>带 * 的为必填字段。</translation>
    </message>
    <message>
        <source>&amp;Back</source>
        <translation>上一步(&amp;B)</translation>
    </message>
    <message>
        <source>Back to the columns</source>
        <translation>返回列对应</translation>
    </message>
    <message>
        <source>&amp;Check and preview</source>
        <translation>检查并预览(&amp;C)</translation>
    </message>
    <message>
        <source>Check the rows and preview the import; nothing is written yet</source>
        <translation>检查各行并预览导入结果；此时不会写入任何数据</translation>
    </message>
    <message>
        <source>&amp;Import</source>
        <translation>导入(&amp;I)</translation>
    </message>
    <message>
        <source>Import the students as previewed</source>
        <translation>按预览导入学生</translation>
    </message>
    <message>
        <source>Close without importing</source>
        <translation>关闭，不导入</translation>
    </message>
    <message numerus="yes">
        <source>%n data row(s) read. Check the columns, then preview the import.</source>
        <translation>
            <numerusform>已读取 %n 行数据。请核对列的对应，然后预览导入。</numerusform>
        </translation>
    </message>
    <message>
        <source>Required columns not found:</source>
        <translation>缺少必需的列：</translation>
    </message>
    <message>
        <source>• %1: a column headed %2</source>
        <translation>• %1：表头可为 %2</translation>
    </message>
    <message>
        <source>Template saved to %1</source>
        <translation>模板已保存到 %1</translation>
    </message>
    <message>
        <source>Spreadsheets (*.csv *.xlsx *.xlsm *.txt *.tsv);;All files (*)</source>
        <translation>表格文件 (*.csv *.xlsx *.xlsm *.txt *.tsv);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Reading %1…</source>
        <translation>正在读取 %1…</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <source>Column %1</source>
        <translation>第 %1 列</translation>
    </message>
    <message>
        <source>Case, spaces, _ and - in a header do not matter. Rename the header in the file, or choose the column above.</source>
        <translation>表头不区分大小写，空格、_ 和 - 会被忽略。请修改文件中的表头，或在上方选择对应的列。</translation>
    </message>
    <message numerus="yes">
        <source>Checking %n row(s)…</source>
        <translation>
            <numerusform>正在检查 %n 行…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n row(s) cannot be imported. Nothing was imported; correct the file and try again.</source>
        <translation>
            <numerusform>有 %n 行无法导入，未导入任何数据；请修改文件后重试。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>“%1” (%n row(s))</source>
        <translation>
            <numerusform>“%1”（%n 行）</numerusform>
        </translation>
    </message>
    <message>
        <source>and %1 more</source>
        <translation>等另外 %1 个</translation>
    </message>
    <message>
        <source>%1 does not accept: %2.
Accepted values: %3 (case does not matter).</source>
        <translation>%1无法识别：%2。
可用的值：%3（不区分大小写）。</translation>
    </message>
    <message>
        <source>Name (after import)</source>
        <translation>姓名（导入后）</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>字段</translation>
    </message>
    <message>
        <source>Now</source>
        <translation>现在</translation>
    </message>
    <message>
        <source>After import</source>
        <translation>导入后</translation>
    </message>
    <message>
        <source>(empty)</source>
        <translation>（空）</translation>
    </message>
    <message>
        <source>New students (%1)</source>
        <translation>新增学生（%1）</translation>
    </message>
    <message>
        <source>Updated students (%1)</source>
        <translation>更新的学生（%1）</translation>
    </message>
    <message>
        <source>Nothing has been written yet. Press Import to write these changes, or Back to change the columns.</source>
        <translation>尚未写入任何数据。点击“导入”写入这些更改，或点击“上一步”修改列的对应。</translation>
    </message>
    <message>
        <source>Nothing to import: every student in the file is already as it says.</source>
        <translation>没有需要导入的内容：文件中的每名学生都已与数据库一致。</translation>
    </message>
    <message>
        <source>%1 new students will be added and %2 existing students updated (%3 field changes); %4 are already as the file says.</source>
        <translation>将新增 %1 名学生，更新 %2 名已有学生（共 %3 处字段更改）；%4 名学生已与文件一致。</translation>
    </message>
    <message numerus="yes">
        <source>Importing %n student(s)…</source>
        <translation>
            <numerusform>正在导入 %n 名学生…</numerusform>
        </translation>
    </message>
    <message>
        <source>Imported.</source>
        <translation>已导入。</translation>
    </message>
</context>
<context>
    <name>ImportTemplate</name>
    <message>
        <source>Student No.</source>
        <translation>学号</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>College</source>
        <translation>学院</translation>
    </message>
    <message>
        <source>Class</source>
        <translation>班级</translation>
    </message>
    <message>
        <source>Student status</source>
        <translation>学籍状态</translation>
    </message>
    <message>
        <source>Zhang San</source>
        <translation>张三</translation>
    </message>
    <message>
        <source>School of Science</source>
        <translation>理学院</translation>
    </message>
    <message>
        <source>Maths 2401</source>
        <translation>数学2401</translation>
    </message>
    <message>
        <source>enrolled</source>
        <translation>在读</translation>
    </message>
    <message>
        <source>Students</source>
        <translation>学生</translation>
    </message>
</context>
<context>
    <name>IpaasEditor</name>
    <message>
        <source>iPaaS integration flow</source>
        <translation>iPaaS 集成流</translation>
    </message>
    <message>
        <source>C&amp;oncurrent calls:</source>
        <translation>并发调用(&amp;O)：</translation>
    </message>
    <message>
        <source>Gateway calls in flight at once</source>
        <translation>同时进行的网关调用数</translation>
    </message>
    <message>
        <source>The gateway refused the token</source>
        <translation>网关拒绝了网关密钥</translation>
    </message>
    <message>
        <source>Gate&amp;way URL:</source>
        <translation>网关地址(&amp;W)：</translation>
    </message>
    <message>
        <source>gateway URL</source>
        <translation>网关地址</translation>
    </message>
    <message>
        <source>The flow&apos;s HTTP trigger address, https://…</source>
        <translation>集成流 HTTP 触发器的地址，https://…</translation>
    </message>
    <message>
        <source>Gateway token</source>
        <translation>网关密钥</translation>
    </message>
    <message>
        <source>&amp;Gateway token:</source>
        <translation>网关密钥(&amp;G)：</translation>
    </message>
    <message>
        <source>Students &amp;per call:</source>
        <translation>每次调用学生数(&amp;P)：</translation>
    </message>
    <message>
        <source>Connected: the Shenbi profile reads and the gateway answers.</source>
        <translation>连接成功：神笔配置可以读取，网关也有应答。</translation>
    </message>
    <message>
        <source>About reading through a Shenbi profile</source>
        <translation>关于通过神笔配置读取</translation>
    </message>
    <message>
        <source>Students and cards are read through this Shenbi profile (its AK/SK and field mapping); the actions go to the flow.</source>
        <translation>学生和一卡通通过这个神笔配置读取（用它的 AK/SK 和字段对应）；开通、冻结等操作发送给集成流。</translation>
    </message>
    <message>
        <source>Students per gateway call</source>
        <translation>每次调用网关发送的学生数</translation>
    </message>
    <message>
        <source>%1 (not a saved Shenbi profile)</source>
        <translation>%1（不是已保存的神笔配置）</translation>
    </message>
    <message>
        <source>Choose the Shenbi profile to read through (save one first).</source>
        <translation>请选择读取数据用的神笔配置（如还没有，请先保存一个）。</translation>
    </message>
    <message>
        <source>“%1” is not a saved Shenbi profile: choose another.</source>
        <translation>“%1”不是已保存的神笔配置，请另选一个。</translation>
    </message>
    <message>
        <source>gateway token</source>
        <translation>网关密钥</translation>
    </message>
    <message>
        <source>The secret the flow&apos;s HTTP trigger expects in that header</source>
        <translation>集成流 HTTP 触发器要求在该请求头中携带的密钥</translation>
    </message>
</context>
<context>
    <name>JiandaoyunEditor</name>
    <message>
        <source>API key</source>
        <translation>API Key</translation>
    </message>
    <message>
        <source>API &amp;key:</source>
        <translation>API Key(&amp;K)：</translation>
    </message>
    <message>
        <source>Open platform (开放平台) → Key management (密钥管理) → Create API KEY</source>
        <translation>开放平台 → 密钥管理 → 创建 API KEY</translation>
    </message>
    <message>
        <source>Write requests in flight at once</source>
        <translation>同时进行的写入请求数</translation>
    </message>
    <message>
        <source>C&amp;oncurrent writes:</source>
        <translation>并发写入(&amp;O)：</translation>
    </message>
    <message>
        <source>&amp;Read fields from the forms</source>
        <translation>从表单读取字段(&amp;R)</translation>
    </message>
    <message>
        <source>Connected: the app, both forms and the mapped fields were found.</source>
        <translation>连接成功：应用、两个表单和对应的字段都已找到。</translation>
    </message>
    <message>
        <source>Jiandaoyun connection</source>
        <translation>简道云连接</translation>
    </message>
    <message>
        <source>Read the fields of both forms from Jiandaoyun</source>
        <translation>从简道云读取两个表单的字段</translation>
    </message>
    <message>
        <source>The API key was rejected</source>
        <translation>API Key 被拒绝</translation>
    </message>
    <message>
        <source>The API key may not use this app or form</source>
        <translation>此 API Key 无权使用该应用或表单</translation>
    </message>
    <message>
        <source>The app ID is wrong</source>
        <translation>应用 ID 有误</translation>
    </message>
    <message>
        <source>A form (entry) ID is wrong</source>
        <translation>表单 ID（entry_id）有误</translation>
    </message>
    <message>
        <source>Read %1 fields of the students form and %2 of the cards form; check the choices.</source>
        <translation>已读取学生表单的 %1 个字段和卡记录表单的 %2 个字段，请核对对应关系。</translation>
    </message>
</context>
<context>
    <name>JobController</name>
    <message>
        <source>The job stopped because of an unexpected error. It stays unfinished and can be resumed. Details were written to the log file.</source>
        <translation>任务因意外错误而停止。它保持未完成状态，可以继续执行。详细信息已写入日志文件。</translation>
    </message>
    <message>
        <source>Nothing was written: the job is for the profile “%1”, but the profile open is “%2”.</source>
        <translation>没有写入任何数据：该任务属于配置“%1”，但当前打开的是配置“%2”。</translation>
    </message>
    <message>
        <source>Nothing was written: job %3 belongs to the profile “%1”, but the profile open is “%2”.</source>
        <translation>没有写入任何数据：任务 %3 属于配置“%1”，但当前打开的是配置“%2”。</translation>
    </message>
    <message>
        <source>Take over the job?</source>
        <translation>接管该任务？</translation>
    </message>
    <message>
        <source>Take it over only if that program is no longer running: two programs running one job at once could write a record twice.</source>
        <translation>请仅在确认该程序已不再运行时接管：两个程序同时执行同一任务，可能把一条记录写两次。</translation>
    </message>
    <message>
        <source>&amp;Take over</source>
        <translation>接管(&amp;T)</translation>
    </message>
</context>
<context>
    <name>JobReport</name>
    <message>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>Finished</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>Unfinished</source>
        <translation>未完成</translation>
    </message>
    <message>
        <source>Job</source>
        <translation>任务</translation>
    </message>
    <message>
        <source>Operator</source>
        <translation>操作员</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>开始时间</translation>
    </message>
    <message>
        <source>Ended</source>
        <translation>结束时间</translation>
    </message>
    <message>
        <source>Profile</source>
        <translation>配置</translation>
    </message>
    <message>
        <source>Backend</source>
        <translation>后台</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Records</source>
        <translation>记录数</translation>
    </message>
    <message>
        <source>Follows job</source>
        <translation>接续任务</translation>
    </message>
    <message>
        <source>Job %1: %2</source>
        <translation>任务 %1：%2</translation>
    </message>
    <message>
        <source>Failures (%1)</source>
        <translation>失败记录（%1 条）</translation>
    </message>
    <message>
        <source>Student no.</source>
        <translation>学号</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Reason / error</source>
        <translation>原因/错误</translation>
    </message>
    <message>
        <source>… and %1 more failures: export the results for all of them.</source>
        <translation>……另有 %1 条失败记录：导出结果可查看全部。</translation>
    </message>
    <message>
        <source>No record failed.</source>
        <translation>没有失败的记录。</translation>
    </message>
    <message>
        <source>Printed %1</source>
        <translation>打印于 %1</translation>
    </message>
    <message>
        <source>Job %1</source>
        <translation>任务 %1</translation>
    </message>
</context>
<context>
    <name>JournalNotice</name>
    <message>
        <source>Job history</source>
        <translation>任务日志</translation>
    </message>
    <message>
        <source>Job history notice</source>
        <translation>任务日志提示</translation>
    </message>
</context>
<context>
    <name>KintoneEditor</name>
    <message>
        <source>kintone connection</source>
        <translation>kintone 连接</translation>
    </message>
    <message>
        <source>&amp;Read fields from the apps</source>
        <translation>从应用读取字段(&amp;R)</translation>
    </message>
    <message>
        <source>Read the fields of both apps from kintone</source>
        <translation>从 kintone 读取两个应用的字段</translation>
    </message>
    <message>
        <source>Read %1 fields of the students app and %2 of the cards app; check the choices.</source>
        <translation>已读取学生应用的 %1 个字段和一卡通应用的 %2 个字段，请核对对应关系。</translation>
    </message>
    <message>
        <source>Connected: both apps and the mapped fields were found.</source>
        <translation>连接成功：两个应用和对应的字段都已找到。</translation>
    </message>
    <message>
        <source>C&amp;oncurrent requests:</source>
        <translation>并发请求(&amp;O)：</translation>
    </message>
    <message>
        <source>Requests in flight at once</source>
        <translation>同时进行的请求数</translation>
    </message>
    <message>
        <source>The API token or the password was rejected</source>
        <translation>API 令牌或密码被拒绝</translation>
    </message>
    <message>
        <source>The API token or the user may not do this in the app</source>
        <translation>API 令牌或用户在该应用中没有相应权限</translation>
    </message>
    <message>
        <source>An app ID is wrong</source>
        <translation>应用 ID 有误</translation>
    </message>
    <message>
        <source>The guest space ID is wrong</source>
        <translation>来宾空间 ID 有误</translation>
    </message>
    <message>
        <source>Students app</source>
        <translation>学生应用</translation>
    </message>
    <message>
        <source>Cards app</source>
        <translation>一卡通应用</translation>
    </message>
    <message>
        <source>API token of the students app</source>
        <translation>学生应用的 API 令牌</translation>
    </message>
    <message>
        <source>API token of the cards app</source>
        <translation>一卡通应用的 API 令牌</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Students app to&amp;ken:</source>
        <translation>学生应用令牌(&amp;K)：</translation>
    </message>
    <message>
        <source>Cards app tok&amp;en:</source>
        <translation>一卡通应用令牌(&amp;E)：</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>密码(&amp;P)：</translation>
    </message>
    <message>
        <source>Write only the domain&apos;s address (e.g. https://example.cybozu.com), without a path.</source>
        <translation>只填写域名地址（例如 https://example.cybozu.com），不要带路径。</translation>
    </message>
    <message>
        <source>Enter the IDs of both apps: the number in each app&apos;s address (…/k/12/).</source>
        <translation>请填写两个应用的 ID，即各应用地址中的数字（…/k/12/）。</translation>
    </message>
    <message>
        <source>The students app and the cards app must be two apps.</source>
        <translation>学生应用和一卡通应用不能是同一个应用。</translation>
    </message>
    <message>
        <source>The guest space ID is a number (…/k/guest/5/…); leave it empty when the apps are not in a guest space.</source>
        <translation>来宾空间 ID 是一个数字（…/k/guest/5/…）；应用不在来宾空间中时请留空。</translation>
    </message>
    <message>
        <source>password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>App settings → API token, with “view records”</source>
        <translation>应用设置 → API 令牌，需“查看记录”权限</translation>
    </message>
    <message>
        <source>App settings → API token, with “view, add and edit records”</source>
        <translation>应用设置 → API 令牌，需“查看、添加、编辑记录”权限</translation>
    </message>
    <message>
        <source>The login name&apos;s kintone password</source>
        <translation>该登录名的 kintone 密码</translation>
    </message>
</context>
<context>
    <name>Labels</name>
    <message>
        <source>, </source>
        <comment>between names listed in a sentence</comment>
        <translation>、</translation>
    </message>
    <message>
        <source>Open card</source>
        <translation>开通一卡通</translation>
    </message>
    <message>
        <source>Freeze</source>
        <translation>冻结</translation>
    </message>
    <message>
        <source>Unfreeze</source>
        <translation>解冻</translation>
    </message>
    <message>
        <source>Cancel card</source>
        <translation>注销</translation>
    </message>
    <message>
        <source>Enrolled</source>
        <translation>在读</translation>
    </message>
    <message>
        <source>Suspended</source>
        <translation>休学</translation>
    </message>
    <message>
        <source>Withdrawn</source>
        <translation>退学</translation>
    </message>
    <message>
        <source>Graduated</source>
        <translation>毕业</translation>
    </message>
    <message>
        <source>Not opened</source>
        <translation>未开通</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>正常</translation>
    </message>
    <message>
        <source>Frozen</source>
        <translation>冻结</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>注销</translation>
    </message>
    <message>
        <source>Pending</source>
        <translation>待处理</translation>
    </message>
    <message>
        <source>Succeeded</source>
        <translation>成功</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>Skipped</source>
        <translation>跳过</translation>
    </message>
    <message>
        <source>Cancelled by operator</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>Local database</source>
        <translation>本地数据库</translation>
    </message>
    <message>
        <source>Jiandaoyun</source>
        <translation>简道云</translation>
    </message>
    <message>
        <source>kintone</source>
        <translation>kintone</translation>
    </message>
    <message>
        <source>Shenbi</source>
        <translation>神笔</translation>
    </message>
    <message>
        <source>iPaaS flow</source>
        <translation>iPaaS 集成流</translation>
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
        <translation>已开通</translation>
    </message>
    <message>
        <source>No card opened</source>
        <translation>未开通</translation>
    </message>
    <message>
        <source>Card already frozen</source>
        <translation>已冻结</translation>
    </message>
    <message>
        <source>Card is not frozen</source>
        <translation>卡未冻结</translation>
    </message>
    <message>
        <source>Card already cancelled</source>
        <translation>已注销</translation>
    </message>
    <message>
        <source>Student is not enrolled</source>
        <translation>学籍状态不是在读</translation>
    </message>
    <message>
        <source>Unknown student number</source>
        <translation>学号不存在</translation>
    </message>
    <message>
        <source>Duplicate student number</source>
        <translation>重复的学号</translation>
    </message>
    <message>
        <source>Changed by someone else</source>
        <translation>由他人修改</translation>
    </message>
    <message>
        <source>Opened by someone else</source>
        <translation>已由他人开通</translation>
    </message>
    <message>
        <source>%1 (now %2)</source>
        <translation>%1（现为%2）</translation>
    </message>
    <message>
        <source>%1 (card record %2)</source>
        <translation>%1（卡记录 %2）</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <source>Cancelled before it was sent</source>
        <translation>发送前已取消</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Campus Card Batch Manager</source>
        <translation>校园一卡通批量管理</translation>
    </message>
    <message>
        <source>Loading students…</source>
        <translation>正在加载学生…</translation>
    </message>
    <message>
        <source>Manage profiles…</source>
        <translation>管理配置…</translation>
    </message>
    <message>
        <source>Set up backends (Jiandaoyun, kintone, Shenbi, iPaaS), their secrets and field mapping</source>
        <translation>设置后端（简道云、kintone、神笔、iPaaS）、密钥和字段对应</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Reload the students</source>
        <translation>重新加载学生</translation>
    </message>
    <message>
        <source>Import students…</source>
        <translation>导入学生…</translation>
    </message>
    <message>
        <source>Import students from a CSV or Excel file (local database only)</source>
        <translation>从 CSV 或 Excel 文件导入学生（仅本地数据库）</translation>
    </message>
    <message>
        <source>Save import template…</source>
        <translation>导出导入模板…</translation>
    </message>
    <message>
        <source>Save a CSV or Excel file with the columns the import expects and an example row</source>
        <translation>保存一个 CSV 或 Excel 文件，含导入所需的列和一行示例</translation>
    </message>
    <message>
        <source>Import template saved to %1</source>
        <translation>导入模板已保存到 %1</translation>
    </message>
    <message>
        <source>History</source>
        <translation>历史记录</translation>
    </message>
    <message>
        <source>Past jobs and their results</source>
        <translation>历史任务及其结果</translation>
    </message>
    <message>
        <source>Allow opening cards for non-enrolled students</source>
        <translation>允许为非在读学生开通</translation>
    </message>
    <message>
        <source>When on, Open card also opens cards for suspended, withdrawn or graduated students</source>
        <translation>开启后，开通一卡通也会为休学、退学或毕业学生开卡</translation>
    </message>
    <message>
        <source>Select all filtered</source>
        <translation>全选筛选结果</translation>
    </message>
    <message>
        <source>Select every row the filter shows</source>
        <translation>选中筛选显示的所有行</translation>
    </message>
    <message>
        <source>Copy student numbers</source>
        <translation>复制学号</translation>
    </message>
    <message>
        <source>Copy the selected student numbers, one per line</source>
        <translation>复制选中的学号，每行一个</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>About and getting started…</source>
        <translation>关于和入门…</translation>
    </message>
    <message>
        <source>The version, how to begin, the keys and where things are kept</source>
        <translation>版本、入门说明、快捷键和文件保存位置</translation>
    </message>
    <message>
        <source>Messages…</source>
        <translation>消息…</translation>
    </message>
    <message>
        <source>The status bar&apos;s messages of this session, whole</source>
        <translation>本次运行中状态栏显示过的全部消息（完整文本）</translation>
    </message>
    <message>
        <source>Reset demo school…</source>
        <translation>重置演示学校…</translation>
    </message>
    <message>
        <source>Build the demo school again as on the first start (built-in local profile only)</source>
        <translation>按首次启动时的样子重新生成演示学校（仅限内置的本地配置）</translation>
    </message>
    <message>
        <source>Clear kept snapshots</source>
        <translation>清除本地快照</translation>
    </message>
    <message>
        <source>Remove the students&apos; lists kept on this computer to open remote profiles at once (personal data; the next opening lists everything again)</source>
        <translation>删除本机为快速打开远程配置而保存的学生名单（属于个人数据；下次打开时会重新读取全部学生）</translation>
    </message>
    <message>
        <source>Main toolbar</source>
        <translation>主工具栏</translation>
    </message>
    <message>
        <source>Profile:</source>
        <translation>配置：</translation>
    </message>
    <message>
        <source>Profile</source>
        <translation>配置</translation>
    </message>
    <message>
        <source>The backend to work on; switching reloads</source>
        <translation>要操作的后端；切换后重新加载</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Cards</source>
        <translation>一卡通(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;Columns</source>
        <translation>列(&amp;C)</translation>
    </message>
    <message>
        <source>Showing the students as listed at %1 (a snapshot kept on this computer); the current list is being read.</source>
        <translation>显示的是 %1 读取的学生名单（本机保存的快照），正在读取最新名单。</translation>
    </message>
    <message numerus="yes">
        <source>Snapshots removed: %Ln</source>
        <translation>
            <numerusform>已删除快照：%Ln 份</numerusform>
        </translation>
    </message>
    <message>
        <source>Showing the data loaded at %1: refreshing failed: %2</source>
        <translation>显示的是 %1 的数据，刷新失败：%2</translation>
    </message>
    <message>
        <source>connecting…</source>
        <translation>正在连接…</translation>
    </message>
    <message>
        <source>loading…</source>
        <translation>加载中…</translation>
    </message>
    <message>
        <source>connected</source>
        <translation>已连接</translation>
    </message>
    <message>
        <source>not connected</source>
        <translation>未连接</translation>
    </message>
    <message>
        <source>The students could not be loaded: %1

Refresh (F5) tries again; Manage profiles… (Ctrl+Shift+P) checks the profile.</source>
        <translation>无法加载学生：%1

刷新（F5）可重试；管理配置…（Ctrl+Shift+P）可检查配置。</translation>
    </message>
    <message>
        <source>No students yet. Import them from a CSV or Excel file: File ▸ Import students… (Ctrl+I). Help ▸ About and getting started (F1) says how to begin.</source>
        <translation>还没有学生。请从 CSV 或 Excel 文件导入：文件 ▸ 导入学生…（Ctrl+I）。帮助 ▸ 关于和入门（F1）介绍如何开始。</translation>
    </message>
    <message>
        <source>The backend holds no students. Manage profiles… (Ctrl+Shift+P) checks the profile&apos;s app and field mapping.</source>
        <translation>后台中没有学生。可在管理配置…（Ctrl+Shift+P）中检查该配置的应用和字段映射。</translation>
    </message>
    <message>
        <source>The demo school was built again.</source>
        <translation>演示学校已重新生成。</translation>
    </message>
    <message>
        <source>The demo school could not be reset: %1</source>
        <translation>无法重置演示学校：%1</translation>
    </message>
    <message>
        <source>A job is running. Cancel it and quit? Records not sent yet are marked cancelled; what was sent is kept in the journal.</source>
        <translation>有任务正在执行。要取消并退出吗？尚未发送的记录将标记为已取消；已发送的记录保留在日志中。</translation>
    </message>
</context>
<context>
    <name>MessageLogButton</name>
    <message>
        <source>Messages (%1)</source>
        <translation>消息（%1）</translation>
    </message>
    <message>
        <source>No messages yet</source>
        <translation>还没有消息</translation>
    </message>
    <message>
        <source>Messages</source>
        <translation>消息</translation>
    </message>
</context>
<context>
    <name>PlanModel</name>
    <message>
        <source>Student No.</source>
        <translation>学号</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Card now</source>
        <translation>当前卡状态</translation>
    </message>
    <message>
        <source>Card after</source>
        <translation>操作后</translation>
    </message>
    <message>
        <source>Skipped because</source>
        <translation>跳过原因</translation>
    </message>
    <message>
        <source>(skipped)</source>
        <translation>（跳过）</translation>
    </message>
</context>
<context>
    <name>ProfileDialog</name>
    <message>
        <source>Profiles</source>
        <translation>配置</translation>
    </message>
    <message>
        <source>Keyring problem</source>
        <translation>钥匙环问题</translation>
    </message>
    <message>
        <source>&amp;New</source>
        <translation>新建(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Delete</source>
        <translation>删除(&amp;D)</translation>
    </message>
    <message>
        <source>Delete the selected profile</source>
        <translation>删除选中的配置</translation>
    </message>
    <message>
        <source>The built-in local profile keeps the students and cards in a database on this computer. It has nothing to configure and cannot be removed.</source>
        <translation>内置的本地配置把学生和一卡通保存在本机的数据库中，无需设置，也不能删除。</translation>
    </message>
    <message>
        <source>About the local profile</source>
        <translation>关于本地配置</translation>
    </message>
    <message>
        <source>New profile</source>
        <translation>新建配置</translation>
    </message>
    <message>
        <source>About this profile</source>
        <translation>关于此配置</translation>
    </message>
    <message>
        <source>Backend kind</source>
        <translation>后端类型</translation>
    </message>
    <message>
        <source>The kind of a new profile; a saved profile keeps its kind</source>
        <translation>新配置的后端类型；已保存的配置不能改类型</translation>
    </message>
    <message>
        <source>&amp;Kind:</source>
        <translation>类型(&amp;K)：</translation>
    </message>
    <message>
        <source>Profile status</source>
        <translation>配置状态</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>保存(&amp;S)</translation>
    </message>
    <message>
        <source>Save the profile and its secrets</source>
        <translation>保存配置及其密钥</translation>
    </message>
    <message>
        <source>Checking the connection and the mapped fields before saving…</source>
        <translation>保存前正在检查连接和对应的字段…</translation>
    </message>
    <message>
        <source>The check before saving failed: %1</source>
        <translation>保存前的检查未通过：%1</translation>
    </message>
    <message>
        <source>Save “%1” anyway? Until this is fixed, jobs with this profile may fail, or write cards without their student or status.</source>
        <translation>仍要保存“%1”吗？在问题解决之前，用此配置执行的任务可能失败，或写入缺少学生或状态的一卡通记录。</translation>
    </message>
    <message>
        <source>Save &amp;anyway</source>
        <translation>仍然保存(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Don&apos;t save</source>
        <translation>不保存(&amp;D)</translation>
    </message>
    <message>
        <source>Not saved. %1</source>
        <translation>未保存。%1</translation>
    </message>
    <message>
        <source>Delete the profile “%1” and its secrets from the keyring? The data in the backend is not touched.</source>
        <translation>删除配置“%1”并从钥匙环中删除其密钥？后端中的数据不受影响。</translation>
    </message>
    <message>
        <source>Save the changes to the profile “%1” before closing?</source>
        <translation>关闭前保存对配置“%1”的更改吗？</translation>
    </message>
    <message>
        <source>Save the new profile before closing?</source>
        <translation>关闭前保存新配置吗？</translation>
    </message>
    <message>
        <source>The changes are lost unless they are saved.</source>
        <translation>不保存的话，这些更改将会丢失。</translation>
    </message>
    <message>
        <source>D&amp;iscard changes</source>
        <translation>放弃更改(&amp;I)</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>&amp;Revert</source>
        <translation>还原(&amp;R)</translation>
    </message>
    <message>
        <source>Discard the changes</source>
        <translation>放弃修改</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Profiles of the kind “%1” are edited with campuscard-cli profiles.</source>
        <translation>“%1”类型的配置请用 campuscard-cli profiles 编辑。</translation>
    </message>
    <message>
        <source>Saved “%1”.</source>
        <translation>已保存“%1”。</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
    <message>
        <source>Deleted “%1”.</source>
        <translation>已删除“%1”。</translation>
    </message>
</context>
<context>
    <name>ProfileEditor</name>
    <message>
        <source>The form is not complete</source>
        <translation>填写不完整</translation>
    </message>
    <message>
        <source>Testing the connection…</source>
        <translation>正在测试连接…</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>The server cannot be reached</source>
        <translation>无法连接服务器</translation>
    </message>
    <message>
        <source>A mapped field is missing</source>
        <translation>找不到对应的字段</translation>
    </message>
    <message>
        <source>No usable keyring</source>
        <translation>没有可用的钥匙环</translation>
    </message>
    <message>
        <source>The keyring is locked</source>
        <translation>钥匙环已锁定</translation>
    </message>
    <message>
        <source>A secret of this profile is not stored</source>
        <translation>此配置的密钥尚未保存</translation>
    </message>
    <message>
        <source>The connection test failed</source>
        <translation>连接测试失败</translation>
    </message>
    <message>
        <source>Reading the fields…</source>
        <translation>正在读取字段…</translation>
    </message>
</context>
<context>
    <name>ProfileForm</name>
    <message>
        <source>Profile name</source>
        <translation>配置名称</translation>
    </message>
    <message>
        <source>e.g. %1</source>
        <translation>例如 %1</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>名称(&amp;N)：</translation>
    </message>
    <message>
        <source>Base &amp;URL:</source>
        <translation>API 地址(&amp;U)：</translation>
    </message>
    <message>
        <source>Request timeout in seconds</source>
        <translation>请求超时（秒）</translation>
    </message>
    <message>
        <source> s</source>
        <translation> 秒</translation>
    </message>
    <message>
        <source>T&amp;imeout:</source>
        <translation>超时(&amp;I)：</translation>
    </message>
    <message>
        <source>Advanced:</source>
        <translation>高级：</translation>
    </message>
    <message>
        <source>&amp;Test connection</source>
        <translation>测试连接(&amp;T)</translation>
    </message>
    <message>
        <source>Test the connection with these settings</source>
        <translation>用当前填写的设置测试连接</translation>
    </message>
    <message>
        <source>Connection test result icon</source>
        <translation>连接测试结果图标</translation>
    </message>
    <message>
        <source>Connection test result</source>
        <translation>连接测试结果</translation>
    </message>
    <message>
        <source>Field mapping</source>
        <translation>字段对应</translation>
    </message>
    <message>
        <source>&amp;Read fields</source>
        <translation>读取字段(&amp;R)</translation>
    </message>
    <message>
        <source>Read the fields from the backend</source>
        <translation>从后端读取字段</translation>
    </message>
    <message>
        <source>Field reading status</source>
        <translation>读取字段的状态</translation>
    </message>
    <message>
        <source>A saved profile keeps its name</source>
        <translation>已保存的配置不能改名</translation>
    </message>
    <message>
        <source>Read the fields to choose them by their labels.</source>
        <translation>读取字段后即可按字段标题选择。</translation>
    </message>
    <message>
        <source>Saved (leave empty to keep it)</source>
        <translation>已保存（留空则不修改）</translation>
    </message>
    <message>
        <source>Enter the %1: none is stored for this profile.</source>
        <translation>请填写：%1（此配置尚未保存）。</translation>
    </message>
    <message>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message>
        <source>Enter a name for the profile.</source>
        <translation>请填写配置名称。</translation>
    </message>
    <message>
        <source>A profile named “%1” exists already.</source>
        <translation>已有名为“%1”的配置。</translation>
    </message>
    <message>
        <source>A profile name may hold letters, digits, “-”, “_” and “.” (at most 64), and cannot be “local”.</source>
        <translation>配置名称只能包含字母、数字、汉字、“-”“_”“.”（最长 64 个字符），且不能是“local”。</translation>
    </message>
    <message>
        <source>base URL</source>
        <translation>API 地址</translation>
    </message>
    <message>
        <source>Enter the %1.</source>
        <translation>请填写：%1。</translation>
    </message>
    <message>
        <source>The %1 must start with https://.</source>
        <translation>%1应以 https:// 开头。</translation>
    </message>
    <message>
        <source>The %1 is not encrypted (http://): the key would travel in clear text. Use https://, or campuscard-cli profiles add --allow-http for a private deployment.</source>
        <translation>%1不加密（http://），密钥会明文传输。请使用 https://；如确为内网私有部署，请用 campuscard-cli profiles add --allow-http。</translation>
    </message>
    <message>
        <source>Choose a field for: %1</source>
        <translation>请为以下各项选择字段：%1</translation>
    </message>
</context>
<context>
    <name>ResultsModel</name>
    <message>
        <source>Student no.</source>
        <translation>学号</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Reason / error</source>
        <translation>原因/错误</translation>
    </message>
    <message>
        <source>Card record ID</source>
        <translation>卡记录ID</translation>
    </message>
</context>
<context>
    <name>ResultsPanel</name>
    <message>
        <source>Job progress</source>
        <translation>任务进度</translation>
    </message>
    <message>
        <source>Job status</source>
        <translation>任务状态</translation>
    </message>
    <message>
        <source>No job yet</source>
        <translation>尚无任务</translation>
    </message>
    <message>
        <source>Cancel job</source>
        <translation>取消任务</translation>
    </message>
    <message>
        <source>Cancel the running job</source>
        <translation>取消正在执行的任务</translation>
    </message>
    <message>
        <source>Job summary</source>
        <translation>任务汇总</translation>
    </message>
    <message>
        <source>Show results</source>
        <translation>显示结果</translation>
    </message>
    <message>
        <source>All results</source>
        <translation>全部结果</translation>
    </message>
    <message>
        <source>&amp;Show:</source>
        <translation>显示(&amp;S)：</translation>
    </message>
    <message>
        <source>Retry failed</source>
        <translation>重试失败项</translation>
    </message>
    <message>
        <source>Retry the failed records</source>
        <translation>重试失败的记录</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <source>Per-record results</source>
        <translation>逐条结果</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>复制(&amp;C)</translation>
    </message>
    <message>
        <source>Export results…</source>
        <translation>导出结果…</translation>
    </message>
    <message>
        <source>Job %1 started</source>
        <translation>任务 %1 已开始</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <source>%1 records/s</source>
        <translation>%1 条/秒</translation>
    </message>
    <message>
        <source>Waiting for unanswered writes to settle: %1 s left</source>
        <translation>等待未应答的写入落定，还需 %1 秒</translation>
    </message>
    <message>
        <source>Rate limited, retrying in %1 s (attempt %2)</source>
        <translation>限流，%1 秒后重试（第 %2 次）</translation>
    </message>
    <message>
        <source>Network down, retrying in %1 s (attempt %2)</source>
        <translation>网络中断，%1 秒后重试（第 %2 次）</translation>
    </message>
    <message>
        <source>No answer in time, retrying in %1 s (attempt %2)</source>
        <translation>应答超时，%1 秒后重试（第 %2 次）</translation>
    </message>
    <message>
        <source>Server busy or in error, retrying in %1 s (attempt %2)</source>
        <translation>服务器繁忙或出错，%1 秒后重试（第 %2 次）</translation>
    </message>
    <message>
        <source>The filter shows %1 of the job&apos;s %2 records. Export all of them, or only those shown?</source>
        <translation>筛选只显示了本任务 %2 条记录中的 %1 条。导出全部记录，还是只导出显示的记录？</translation>
    </message>
    <message>
        <source>All %1</source>
        <translation>全部 %1 条</translation>
    </message>
    <message>
        <source>Only the %1 shown</source>
        <translation>仅显示的 %1 条</translation>
    </message>
    <message>
        <source>%1 of %2 students selected</source>
        <translation>已选中 %2 名学生中的 %1 名</translation>
    </message>
    <message>
        <source>(the others are hidden by the filter or no longer listed)</source>
        <translation>（其余学生被筛选隐藏或已不在列表中）</translation>
    </message>
    <message>
        <source>Export the results</source>
        <translation>导出结果</translation>
    </message>
    <message>
        <source>Search the results</source>
        <translation>搜索结果</translation>
    </message>
    <message>
        <source>Search results…</source>
        <translation>搜索结果…</translation>
    </message>
    <message>
        <source>Job</source>
        <translation>任务</translation>
    </message>
    <message>
        <source>More for this job</source>
        <translation>本任务的更多操作</translation>
    </message>
    <message>
        <source>&amp;Select these students</source>
        <translation>选中这些学生(&amp;S)</translation>
    </message>
    <message>
        <source>Select, in the student table, the students of the result rows shown</source>
        <translation>在学生表中选中当前显示的结果行对应的学生</translation>
    </message>
    <message>
        <source>&amp;Reverse this job…</source>
        <translation>撤回本任务(&amp;R)…</translation>
    </message>
    <message>
        <source>Save report as &amp;PDF…</source>
        <translation>导出 &amp;PDF 报告…</translation>
    </message>
    <message>
        <source>&amp;Print report…</source>
        <translation>打印报告(&amp;P)…</translation>
    </message>
    <message>
        <source>Export the job&apos;s results and its details (%1)</source>
        <translation>导出本任务的结果及任务信息（%1）</translation>
    </message>
    <message>
        <source>about %1 left</source>
        <translation>约剩 %1</translation>
    </message>
    <message>
        <source>Stopped: %1</source>
        <translation>已停止：%1</translation>
    </message>
    <message>
        <source>Loading job %1…</source>
        <translation>正在加载任务 %1…</translation>
    </message>
    <message>
        <source>Could not load the job: %1</source>
        <translation>无法加载任务：%1</translation>
    </message>
    <message>
        <source>Job %1 (%2, on “%3”) was cancelled</source>
        <translation>任务 %1（%2，配置“%3”）已取消</translation>
    </message>
    <message>
        <source>Job %1 (%2, on “%3”) finished</source>
        <translation>任务 %1（%2，配置“%3”）已完成</translation>
    </message>
    <message>
        <source>Job %1 (%2, on “%3”) is unfinished</source>
        <translation>任务 %1（%2，配置“%3”）未完成</translation>
    </message>
    <message>
        <source>Succeeded %1 · Failed %2 · Skipped %3 · Cancelled %4</source>
        <translation>成功 %1 · 失败 %2 · 跳过 %3 · 已取消 %4</translation>
    </message>
    <message>
        <source>Reverse a finished job: open one first</source>
        <translation>只能撤回已结束的任务：请先打开一个任务</translation>
    </message>
    <message>
        <source>An opened card cannot be un-opened here: there is no inverse of Open card</source>
        <translation>开通一卡通没有反向操作，无法撤回</translation>
    </message>
    <message>
        <source>Cancelling a card is irreversible: there is no inverse of Cancel card</source>
        <translation>注销不可逆，没有反向操作，无法撤回</translation>
    </message>
    <message>
        <source>The job is unfinished: resume or discard it first</source>
        <translation>任务未完成：请先继续或放弃该任务</translation>
    </message>
    <message>
        <source>No record of this job succeeded: there is nothing to reverse</source>
        <translation>本任务没有成功的记录，无需撤回</translation>
    </message>
    <message>
        <source>This job was run on the profile “%1”: its failures are retried there (you are asked before switching to it).</source>
        <translation>此任务是在配置“%1”上执行的：它的失败项在该配置上重试（切换前会先询问您）。</translation>
    </message>
    <message>
        <source>Retry the failed records as a new job</source>
        <translation>将失败的记录作为新任务重试</translation>
    </message>
    <message>
        <source>%1 the %2 students whose record succeeded (you confirm first)</source>
        <translation>对成功的 %2 名学生执行“%1”（执行前需确认）</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <source>Save report as PDF</source>
        <translation>导出 PDF 报告</translation>
    </message>
    <message>
        <source>PDF (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
    <message>
        <source>Report not written</source>
        <translation>报告未写入</translation>
    </message>
    <message>
        <source>The report could not be written to %1.</source>
        <translation>无法把报告写入 %1。</translation>
    </message>
    <message>
        <source>Report of job %1 written to %2</source>
        <translation>任务 %1 的报告已写入 %2</translation>
    </message>
    <message>
        <source>Print the report of job %1</source>
        <translation>打印任务 %1 的报告</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <source>Results</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>CSV, UTF-8 (*.csv)</source>
        <translation>CSV，UTF-8 (*.csv)</translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <source>Export results</source>
        <translation>导出结果</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
    <message>
        <source>Exported %1 records to %2</source>
        <translation>已导出 %1 条记录到 %2</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>导出失败</translation>
    </message>
    <message>
        <source>The results could not be exported: %1</source>
        <translation>无法导出结果：%1</translation>
    </message>
</context>
<context>
    <name>ResumeDialog</name>
    <message>
        <source>Unfinished jobs</source>
        <translation>未完成的任务</translation>
    </message>
    <message numerus="yes">
        <source>%n job(s) did not finish last time (the program was closed or stopped). Continuing sends only what has not been written yet; nothing is written twice.</source>
        <translation>
            <numerusform>上次有 %n 个任务未完成（程序被关闭或中断）。继续执行只会发送尚未写入的记录，不会重复写入。</numerusform>
        </translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Profile</source>
        <translation>配置</translation>
    </message>
    <message>
        <source>Not done yet</source>
        <translation>尚未完成</translation>
    </message>
    <message>
        <source>&amp;Continue</source>
        <translation>继续执行(&amp;C)</translation>
    </message>
    <message>
        <source>Continue the unfinished jobs</source>
        <translation>继续执行未完成的任务</translation>
    </message>
    <message>
        <source>&amp;Later</source>
        <translation>稍后(&amp;L)</translation>
    </message>
    <message>
        <source>Decide later</source>
        <translation>稍后再决定</translation>
    </message>
    <message>
        <source>&amp;Discard</source>
        <translation>放弃(&amp;D)</translation>
    </message>
    <message>
        <source>Discard: mark what was not written as cancelled</source>
        <translation>放弃：将未写入的记录标记为已取消</translation>
    </message>
</context>
<context>
    <name>ShenbiEditor</name>
    <message>
        <source>The AK (SecretId) was rejected</source>
        <translation>AK（SecretId）有误</translation>
    </message>
    <message>
        <source>The signature was rejected: check the SK (SecretKey) and the signing settings</source>
        <translation>签名有误：请检查 SK（SecretKey）和签名设置</translation>
    </message>
    <message>
        <source>This computer&apos;s clock is off</source>
        <translation>本机时钟不准</translation>
    </message>
    <message>
        <source>The AK/SK may not do this</source>
        <translation>该 AK/SK 没有权限</translation>
    </message>
    <message>
        <source>The app code is wrong</source>
        <translation>应用 code 有误</translation>
    </message>
    <message>
        <source>An object key is wrong</source>
        <translation>对象 key 有误</translation>
    </message>
    <message>
        <source>Connected: the AK/SK, the app, both objects and the mapped fields were accepted.</source>
        <translation>连接成功：AK/SK、应用、两个对象和对应的字段都已通过。</translation>
    </message>
    <message>
        <source>C&amp;oncurrent writes:</source>
        <translation>并发写入(&amp;O)：</translation>
    </message>
    <message>
        <source>Write requests in flight at once</source>
        <translation>同时进行的写入请求数</translation>
    </message>
    <message>
        <source>Students object</source>
        <translation>学生对象</translation>
    </message>
    <message>
        <source>Cards object</source>
        <translation>一卡通对象</translation>
    </message>
    <message>
        <source>OpenAPI &amp;URL:</source>
        <translation>OpenAPI 地址(&amp;U)：</translation>
    </message>
    <message>
        <source>The address on Shenbi&apos;s access preparation (接入准备) page, https://…</source>
        <translation>神笔“接入准备”页面给出的地址，https://…</translation>
    </message>
    <message>
        <source>&amp;AK (SecretId):</source>
        <translation>AK（SecretId）(&amp;A)：</translation>
    </message>
    <message>
        <source>SK (SecretK&amp;ey):</source>
        <translation>SK（SecretKey）(&amp;E)：</translation>
    </message>
    <message>
        <source>Issued by Shenbi for the tenant (OpenAPI access preparation)</source>
        <translation>由神笔为租户颁发（OpenAPI 接入准备）</translation>
    </message>
    <message>
        <source>OpenAPI URL</source>
        <translation>OpenAPI 地址</translation>
    </message>
    <message>
        <source>Shenbi connection</source>
        <translation>神笔连接</translation>
    </message>
    <message>
        <source>Shenbi has no public field list: type each field&apos;s ID (对象建模 → 字段) and the option labels.</source>
        <translation>神笔没有公开的字段列表接口：请填写每个字段的字段 ID（对象建模 → 字段）和选项名称。</translation>
    </message>
    <message>
        <source>AK (SecretId)</source>
        <translation>AK（SecretId）</translation>
    </message>
    <message>
        <source>SK (SecretKey)</source>
        <translation>SK（SecretKey）</translation>
    </message>
    <message>
        <source>The students object and the cards object must be two objects.</source>
        <translation>学生对象和一卡通对象不能是同一个对象。</translation>
    </message>
    <message>
        <source>The SecretKey issued with the AK</source>
        <translation>与 AK 一同颁发的 SecretKey</translation>
    </message>
</context>
<context>
    <name>StatusArea</name>
    <message>
        <source>Rows shown</source>
        <translation>显示的行数</translation>
    </message>
    <message>
        <source>Rows selected</source>
        <translation>选中的行数</translation>
    </message>
    <message>
        <source>Profile and connection</source>
        <translation>配置与连接</translation>
    </message>
    <message>
        <source>Demo data</source>
        <translation>演示数据</translation>
    </message>
    <message>
        <source>The students and cards are generated demo data</source>
        <translation>这些学生和一卡通是生成的演示数据</translation>
    </message>
    <message>
        <source>Loading students</source>
        <translation>正在加载学生</translation>
    </message>
    <message>
        <source>Records read so far</source>
        <translation>已读取的记录数</translation>
    </message>
    <message>
        <source>Keyring problem</source>
        <translation>钥匙环问题</translation>
    </message>
    <message>
        <source>No keyring</source>
        <translation>钥匙环不可用</translation>
    </message>
    <message>
        <source>Profile: %1 · %2</source>
        <translation>配置：%1 · %2</translation>
    </message>
    <message>
        <source>%1 of %2 students shown</source>
        <translation>显示 %1 / %2 名学生</translation>
    </message>
    <message numerus="yes">
        <source>%Ln selected</source>
        <translation>
            <numerusform>已选 %Ln 名</numerusform>
        </translation>
    </message>
    <message>
        <source>Loading %1 of %2…</source>
        <translation>正在加载 %1 / %2…</translation>
    </message>
    <message numerus="yes">
        <source>Loading… records read: %Ln</source>
        <translation>
            <numerusform>正在加载… 已读取 %Ln 条记录</numerusform>
        </translation>
    </message>
    <message>
        <source>Remote profiles cannot be used: %1</source>
        <translation>远程配置无法使用：%1</translation>
    </message>
</context>
<context>
    <name>StudentTableModel</name>
    <message>
        <source>Student No.</source>
        <translation>学号</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>College</source>
        <translation>学院</translation>
    </message>
    <message>
        <source>Class</source>
        <translation>班级</translation>
    </message>
    <message>
        <source>Student status</source>
        <translation>学籍状态</translation>
    </message>
    <message>
        <source>Card status</source>
        <translation>一卡通状态</translation>
    </message>
    <message>
        <source>Opened at</source>
        <translation>开通时间</translation>
    </message>
    <message>
        <source>Balance</source>
        <translation>余额</translation>
    </message>
    <message>
        <source>Card ID</source>
        <translation>卡记录ID</translation>
    </message>
</context>
<context>
    <name>StudentTableView</name>
    <message>
        <source>Students</source>
        <translation>学生</translation>
    </message>
    <message>
        <source>Default columns</source>
        <translation>默认列</translation>
    </message>
    <message>
        <source>No students match the filter. Clear the search or choose the preset “All students”.</source>
        <translation>没有符合筛选条件的学生。请清除搜索，或选择预设“全部学生”。</translation>
    </message>
</context>
<context>
    <name>TemplateSaver</name>
    <message>
        <source>CSV, UTF-8 (*.csv)</source>
        <translation>CSV，UTF-8 (*.csv)</translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <source>students-template</source>
        <translation>学生导入模板</translation>
    </message>
    <message>
        <source>Save import template</source>
        <translation>导出导入模板</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
    <message>
        <source>Template not saved</source>
        <translation>模板未保存</translation>
    </message>
</context>
<context>
    <name>Workers</name>
    <message>
        <source>An unexpected error occurred. Details were written to the log file.</source>
        <translation>发生意外错误。详细信息已写入日志文件。</translation>
    </message>
</context>
<context>
    <name>_StatusFilterButton</name>
    <message>
        <source>All</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>Filter. Press Space for the choices: %1</source>
        <translation>筛选。按空格键打开选项：%1</translation>
    </message>
</context>
</TS>
