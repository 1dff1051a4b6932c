<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AcceptedDiagnoses</name>
    <message>
        <source>Accepted diagnoses</source>
        <translation>已采纳诊断</translation>
    </message>
    <message>
        <source>None accepted yet. Select a suggestion and press Accept (Ctrl+Enter), or add a diagnosis below.</source>
        <translation>尚未采纳诊断。选择一项建议并按“采纳”（Ctrl+Enter），或在下方添加诊断。</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>Un-accept the selected diagnosis (Delete)</source>
        <translation>取消采纳所选诊断（Delete）</translation>
    </message>
    <message>
        <source>(free text, no code)</source>
        <translation>（自由文本，无编码）</translation>
    </message>
</context>
<context>
    <name>AddUserDialog</name>
    <message>
        <source>Add user</source>
        <translation>添加用户</translation>
    </message>
    <message>
        <source>lower-case, e.g. joseph</source>
        <translation>小写字母，例如 joseph</translation>
    </message>
    <message>
        <source>optional, e.g. Joseph Banda</source>
        <translation>可选，例如 Joseph Banda</translation>
    </message>
    <message>
        <source>&amp;User name:</source>
        <translation>用户名(&amp;U)：</translation>
    </message>
    <message>
        <source>&amp;Full name:</source>
        <translation>姓名(&amp;F)：</translation>
    </message>
    <message>
        <source>&amp;Role:</source>
        <translation>角色(&amp;R)：</translation>
    </message>
    <message>
        <source>Give the new user their passphrase in person. They can change it later with File → Change passphrase…</source>
        <translation>请当面把口令交给新用户。之后他们可以通过“文件 → 修改口令…”自行修改。</translation>
    </message>
    <message>
        <source>&amp;Add user</source>
        <translation>添加用户(&amp;A)</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Enter a user name.</source>
        <translation>请输入用户名。</translation>
    </message>
    <message>
        <source>Adding user…</source>
        <translation>正在添加用户…</translation>
    </message>
</context>
<context>
    <name>AlertCenter</name>
    <message>
        <source>Checking surveillance alerts…</source>
        <translation>正在检查监测预警…</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
</context>
<context>
    <name>AlertKind</name>
    <message>
        <source>allergy</source>
        <translation>过敏</translation>
    </message>
    <message>
        <source>cross_reactivity</source>
        <translation>交叉过敏</translation>
    </message>
    <message>
        <source>pregnancy</source>
        <translation>妊娠</translation>
    </message>
    <message>
        <source>breastfeeding</source>
        <translation>哺乳期</translation>
    </message>
    <message>
        <source>age</source>
        <translation>年龄</translation>
    </message>
    <message>
        <source>dose_above_max</source>
        <translation>剂量超过上限</translation>
    </message>
    <message>
        <source>dose_below_min</source>
        <translation>剂量低于下限</translation>
    </message>
    <message>
        <source>daily_max</source>
        <translation>超过每日最大量</translation>
    </message>
    <message>
        <source>renal</source>
        <translation>肾功能</translation>
    </message>
    <message>
        <source>interaction</source>
        <translation>相互作用</translation>
    </message>
    <message>
        <source>duplicate</source>
        <translation>重复用药</translation>
    </message>
    <message>
        <source>unknown_drug</source>
        <translation>未知药品</translation>
    </message>
    <message>
        <source>missing_data</source>
        <translation>缺少资料</translation>
    </message>
</context>
<context>
    <name>AlertPanel</name>
    <message>
        <source>&amp;Acknowledge alert</source>
        <translation>确认预警(&amp;A)</translation>
    </message>
    <message>
        <source>Record that this alert was seen and acted on (notified, investigated). It then leaves the start screen and the charts.</source>
        <translation>记录此预警已查看并已处理（已报告、已调查）。之后它将不再显示在首页和病历中。</translation>
    </message>
    <message>
        <source>U&amp;ndo acknowledgement</source>
        <translation>撤销确认(&amp;N)</translation>
    </message>
    <message>
        <source>Take back the acknowledgement just recorded: the alert shows again (the withdrawal is audited).</source>
        <translation>撤回刚记录的确认：预警将重新显示（撤回操作记入审计日志）。</translation>
    </message>
    <message>
        <source>Surveillance alerts (%1): notify the district as the guideline says</source>
        <translation>监测预警（%1）：请按指南要求向上级报告</translation>
    </message>
    <message>
        <source>Acknowledged: %1</source>
        <translation>已确认：%1</translation>
    </message>
</context>
<context>
    <name>AlertSeverity</name>
    <message>
        <source>STOP</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>WARN</source>
        <translation>警告</translation>
    </message>
    <message>
        <source>INFO</source>
        <translation>提示</translation>
    </message>
</context>
<context>
    <name>AlertText</name>
    <message>
        <source>single case of an immediately notifiable disease</source>
        <translation>需立即报告疾病的单个病例</translation>
    </message>
    <message>
        <source>%1 cases this week (threshold %2)</source>
        <translation>本周 %1 例（阈值 %2）</translation>
    </message>
    <message>
        <source>cluster of %1 cases in %3 (threshold %2)</source>
        <translation>%3 聚集 %1 例（阈值 %2）</translation>
    </message>
    <message>
        <source>%1 cases: above the usual for this week (%2)</source>
        <translation>%1 例：高于往年同期水平（%2）</translation>
    </message>
    <message>
        <source>en</source>
        <comment>language code of this translation</comment>
        <translation>zh</translation>
    </message>
</context>
<context>
    <name>AllergyBanner</name>
    <message>
        <source>Allergies: loading…</source>
        <translation>过敏：正在加载…</translation>
    </message>
    <message>
        <source>Allergies: none recorded</source>
        <translation>过敏：未记录</translation>
    </message>
    <message>
        <source>%1 (%2 records)</source>
        <translation>%1（%2 条记录）</translation>
    </message>
    <message>
        <source>⚠ ALLERGIES: %1</source>
        <translation>⚠ 过敏：%1</translation>
    </message>
</context>
<context>
    <name>AmendDialog</name>
    <message>
        <source>Amend signed note</source>
        <translation>修订已签名病历</translation>
    </message>
    <message>
        <source>The signed note stays as it is. Your amendment is added below it with your name and the time.</source>
        <translation>已签名的病历保持不变。您的修订会连同您的姓名和时间附在其下方。</translation>
    </message>
</context>
<context>
    <name>AssessmentPanel</name>
    <message>
        <source>Decision support only — not a diagnosis. The clinician examines the patient, decides and is responsible for care.</source>
        <translation>仅供临床决策参考，不是诊断。由临床医生检查患者、作出决定并对诊疗负责。</translation>
    </message>
    <message>
        <source>Assess</source>
        <translation>评估</translation>
    </message>
    <message>
        <source>Not assessed yet.</source>
        <translation>尚未评估。</translation>
    </message>
    <message>
        <source>Each figure is calibrated: of the cases in Lantern&apos;s test sets shown with about this figure, this share had the condition. Figures of different conditions need not add up to 100%.</source>
        <translation>每个数值都经过校准：在 Lantern 测试病例中，显示约为此数值的病例里，有这一比例确实患有该疾病。不同疾病的数值相加不必等于 100%。</translation>
    </message>
    <message>
        <source>Accepted</source>
        <translation>已采纳</translation>
    </message>
    <message>
        <source>Rejected</source>
        <translation>已否定</translation>
    </message>
    <message>
        <source>Added</source>
        <translation>已添加</translation>
    </message>
    <message>
        <source>A long-term condition: the chart&apos;s Problems tab offers to add it to the problem list.</source>
        <translation>慢性疾病：病历的“问题列表”标签页会提示将其加入问题列表。</translation>
    </message>
    <message>
        <source>Undone: %1</source>
        <translation>已撤销：%1</translation>
    </message>
    <message>
        <source>(saved)</source>
        <translation>（已保存）</translation>
    </message>
    <message>
        <source>The decision was NOT saved.</source>
        <translation>该决定未保存。</translation>
    </message>
    <message>
        <source>Only a clinician may accept, reject or add diagnoses.</source>
        <translation>只有临床医生可以采纳、否定或添加诊断。</translation>
    </message>
    <message>
        <source>Un-accept</source>
        <translation>取消采纳</translation>
    </message>
    <message>
        <source>Accept</source>
        <translation>采纳</translation>
    </message>
    <message>
        <source>Un-reject</source>
        <translation>取消否定</translation>
    </message>
    <message>
        <source>Reject</source>
        <translation>否定</translation>
    </message>
    <message>
        <source>Decisions restored; press Assess to see the assessment again.</source>
        <translation>已恢复决定；按“评估”重新查看评估结果。</translation>
    </message>
    <message>
        <source>Assessment and decisions restored as saved.</source>
        <translation>评估结果和决定已按保存时恢复。</translation>
    </message>
    <message>
        <source>Decisions restored as saved; the knowledge base changed since, so the suggestions may differ from those you decided on.</source>
        <translation>决定已按保存时恢复；此后知识库有更新，建议可能与您当时决定时不同。</translation>
    </message>
    <message>
        <source>The note changed after this assessment: press Assess to update it.</source>
        <translation>此次评估后病历记录已更改：按“评估”更新。</translation>
    </message>
    <message>
        <source>Accept the selected diagnosis (Ctrl+Enter); press again to un-accept</source>
        <translation>采纳所选诊断（Ctrl+Enter）；再按一次取消采纳</translation>
    </message>
    <message>
        <source>Reject the selected diagnosis (Ctrl+Shift+Enter); press again to undo</source>
        <translation>否定所选诊断（Ctrl+Shift+Enter）；再按一次撤销</translation>
    </message>
    <message>
        <source>Other diagnosis (English or Chinese name, or free text)…</source>
        <translation>其他诊断（英文或中文名称，或自由文本）…</translation>
    </message>
    <message>
        <source>Add diagnosis</source>
        <translation>添加诊断</translation>
    </message>
    <message>
        <source>Add this diagnosis as accepted (Enter in the box)</source>
        <translation>将此诊断添加为已采纳（在输入框中按 Enter）</translation>
    </message>
    <message>
        <source>Explain (language model)</source>
        <translation>解释（语言模型）</translation>
    </message>
    <message>
        <source>A short explanation from the language model, checked against the note.</source>
        <translation>语言模型给出的简短解释，已与病历核对。</translation>
    </message>
    <message>
        <source>For: %1</source>
        <translation>评估对象：%1</translation>
    </message>
    <message>
        <source>Assessing…</source>
        <translation>正在评估…</translation>
    </message>
    <message>
        <source>Assessment failed.</source>
        <translation>评估失败。</translation>
    </message>
    <message>
        <source>EMERGENCY</source>
        <translation>紧急（红色）</translation>
    </message>
    <message>
        <source>URGENT</source>
        <translation>优先（黄色）</translation>
    </message>
    <message>
        <source>ROUTINE</source>
        <translation>常规（绿色）</translation>
    </message>
    <message>
        <source>Knowledge base {0}</source>
        <translation>知识库 {0}</translation>
    </message>
    <message>
        <source>likely</source>
        <translation>可能性大</translation>
    </message>
    <message>
        <source>possible</source>
        <translation>有可能</translation>
    </message>
    <message>
        <source>less likely</source>
        <translation>可能性小</translation>
    </message>
    <message>
        <source>Evidence for</source>
        <translation>支持证据</translation>
    </message>
    <message>
        <source>Evidence against</source>
        <translation>反对证据</translation>
    </message>
    <message>
        <source>Next steps</source>
        <translation>下一步处理</translation>
    </message>
    <message>
        <source>Referral</source>
        <translation>转诊</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>参考来源</translation>
    </message>
    <message>
        <source>Watch for</source>
        <translation>警惕</translation>
    </message>
    <message>
        <source>{0} (in the note)</source>
        <translation>{0}（病历中已记录）</translation>
    </message>
    <message>
        <source>absent</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Dose for this patient</source>
        <translation>该患者的剂量</translation>
    </message>
</context>
<context>
    <name>AuditAction</name>
    <message>
        <source>create vault</source>
        <translation>创建数据库</translation>
    </message>
    <message>
        <source>login</source>
        <translation>登录</translation>
    </message>
    <message>
        <source>recovery login</source>
        <translation>恢复密钥登录</translation>
    </message>
    <message>
        <source>failed login</source>
        <translation>登录失败</translation>
    </message>
    <message>
        <source>lock</source>
        <translation>锁定</translation>
    </message>
    <message>
        <source>user change</source>
        <translation>用户变更</translation>
    </message>
    <message>
        <source>change passphrase</source>
        <translation>修改口令</translation>
    </message>
    <message>
        <source>change kdf</source>
        <translation>修改密钥派生参数</translation>
    </message>
    <message>
        <source>new recovery key</source>
        <translation>新恢复密钥</translation>
    </message>
    <message>
        <source>rotate data key</source>
        <translation>更换数据密钥</translation>
    </message>
    <message>
        <source>re-encryption done</source>
        <translation>重新加密完成</translation>
    </message>
    <message>
        <source>backup</source>
        <translation>备份</translation>
    </message>
    <message>
        <source>bulk import</source>
        <translation>批量导入</translation>
    </message>
    <message>
        <source>create patient</source>
        <translation>登记患者</translation>
    </message>
    <message>
        <source>update patient</source>
        <translation>更新患者信息</translation>
    </message>
    <message>
        <source>view patient</source>
        <translation>查看患者</translation>
    </message>
    <message>
        <source>acknowledge alert</source>
        <translation>确认监测预警</translation>
    </message>
    <message>
        <source>create encounter</source>
        <translation>新建就诊</translation>
    </message>
    <message>
        <source>save draft</source>
        <translation>保存草稿</translation>
    </message>
    <message>
        <source>sign</source>
        <translation>签名</translation>
    </message>
    <message>
        <source>amend</source>
        <translation>修订</translation>
    </message>
    <message>
        <source>add allergy</source>
        <translation>添加过敏</translation>
    </message>
    <message>
        <source>remove allergy</source>
        <translation>删除过敏</translation>
    </message>
    <message>
        <source>add medication</source>
        <translation>添加用药</translation>
    </message>
    <message>
        <source>stop medication</source>
        <translation>停用药物</translation>
    </message>
    <message>
        <source>add problem</source>
        <translation>添加问题</translation>
    </message>
    <message>
        <source>resolve problem</source>
        <translation>问题已解决</translation>
    </message>
    <message>
        <source>save assessment</source>
        <translation>保存评估</translation>
    </message>
    <message>
        <source>save summary</source>
        <translation>保存摘要</translation>
    </message>
    <message>
        <source>save summary draft</source>
        <translation>保存摘要草稿</translation>
    </message>
    <message>
        <source>view summary</source>
        <translation>查看摘要</translation>
    </message>
    <message>
        <source>view assessment</source>
        <translation>查看评估</translation>
    </message>
    <message>
        <source>export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>print</source>
        <translation>打印</translation>
    </message>
    <message>
        <source>view audit log</source>
        <translation>查看审计日志</translation>
    </message>
    <message>
        <source>add follow-up</source>
        <translation>添加随访</translation>
    </message>
    <message>
        <source>decline follow-up</source>
        <translation>不安排随访</translation>
    </message>
    <message>
        <source>follow-up outcome</source>
        <translation>随访结果</translation>
    </message>
    <message>
        <source>undo follow-up outcome</source>
        <translation>撤销随访结果</translation>
    </message>
    <message>
        <source>rebuild follow-up index</source>
        <translation>重建随访索引</translation>
    </message>
</context>
<context>
    <name>AuditDialog</name>
    <message>
        <source>Audit log</source>
        <translation>审计日志</translation>
    </message>
    <message>
        <source>#</source>
        <translation>#</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Patient</source>
        <translation>患者</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>记录</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>详情</translation>
    </message>
    <message>
        <source>&amp;Verify chain</source>
        <translation>校验审计链(&amp;V)</translation>
    </message>
    <message>
        <source>Load &amp;older entries</source>
        <translation>加载更早的记录(&amp;O)</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>刷新(&amp;R)</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>正在加载…</translation>
    </message>
    <message>
        <source>Reading the audit log…</source>
        <translation>正在读取审计日志…</translation>
    </message>
    <message>
        <source>%1 entries shown, newest first.</source>
        <translation>显示 %1 条记录，最新的在前。</translation>
    </message>
    <message>
        <source>Older entries can be loaded.</source>
        <translation>还可以加载更早的记录。</translation>
    </message>
    <message>
        <source>Checking every entry of the chain…</source>
        <translation>正在逐条校验审计链…</translation>
    </message>
    <message>
        <source>Verifying the audit chain…</source>
        <translation>正在校验审计链…</translation>
    </message>
    <message>
        <source>✔ Audit chain intact: all %1 entries checked, none altered or missing.</source>
        <translation>✔ 审计链完整：已校验全部 %1 条记录，没有被篡改或缺失。</translation>
    </message>
    <message>
        <source>✘ Audit chain BROKEN at entry #%1 (%2 entries before it are intact). Entries from #%1 on cannot be trusted: keep this laptop as it is and tell the person responsible for the clinic&apos;s data.</source>
        <translation>✘ 审计链在第 #%1 条记录处断裂（之前的 %2 条完好）。从 #%1 起的记录不可信：请保持这台电脑现状，并告知诊所的数据负责人。</translation>
    </message>
</context>
<context>
    <name>BackupController</name>
    <message>
        <source>Back up the vault to…</source>
        <translation>将数据库备份到…</translation>
    </message>
    <message>
        <source>Lantern backups (*.db);;All files (*)</source>
        <translation>Lantern 备份 (*.db);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Choose a Lantern backup</source>
        <translation>选择 Lantern 备份文件</translation>
    </message>
    <message>
        <source>Lantern</source>
        <translation>Lantern</translation>
    </message>
    <message>
        <source>Backing up the vault to %1…</source>
        <translation>正在将数据库备份到 %1…</translation>
    </message>
    <message>
        <source>Backing up vault…</source>
        <translation>正在备份数据库…</translation>
    </message>
    <message>
        <source>Backup complete</source>
        <translation>备份完成</translation>
    </message>
    <message>
        <source>The encrypted backup was written to %1. It opens with the passphrases and the recovery key valid today. Keep it somewhere safe, away from this laptop.</source>
        <translation>加密备份已写入 %1。它可以用今天有效的口令和恢复密钥打开。请把它存放在安全的地方，与这台电脑分开保管。</translation>
    </message>
    <message>
        <source>Restore from backup</source>
        <translation>从备份恢复</translation>
    </message>
    <message>
        <source>This computer already has a Lantern vault in its data directory, and a backup never overwrites a vault. To restore, start Lantern with an empty data directory (--data-dir) or move the existing vault away first.</source>
        <translation>这台电脑的数据目录中已经有一个 Lantern 数据库，备份绝不会覆盖现有数据库。如需恢复，请用一个空的数据目录启动 Lantern（--data-dir），或先把现有数据库移走。</translation>
    </message>
    <message>
        <source>Restoring the vault from %1…</source>
        <translation>正在从 %1 恢复数据库…</translation>
    </message>
    <message>
        <source>Restoring vault…</source>
        <translation>正在恢复数据库…</translation>
    </message>
    <message>
        <source>Backup restored</source>
        <translation>备份已恢复</translation>
    </message>
    <message>
        <source>The vault was restored. Unlock it with your user name and passphrase as they were when the backup was taken, or use “Forgot passphrase…” with the recovery key.</source>
        <translation>数据库已恢复。请用备份时有效的用户名和口令解锁，或通过“忘记口令…”使用恢复密钥打开。</translation>
    </message>
    <message>
        <source>The backup was not restored: %1</source>
        <translation>备份未能恢复：%1</translation>
    </message>
</context>
<context>
    <name>ChangePassphraseDialog</name>
    <message>
        <source>Change passphrase</source>
        <translation>修改口令</translation>
    </message>
    <message>
        <source>Changing your passphrase rewrites only your own key. Other users and the recovery key are not affected.</source>
        <translation>修改口令只会重写您自己的密钥，不影响其他用户和恢复密钥。</translation>
    </message>
    <message>
        <source>User: %1</source>
        <translation>用户：%1</translation>
    </message>
    <message>
        <source>&amp;Current passphrase:</source>
        <translation>当前口令(&amp;C)：</translation>
    </message>
    <message>
        <source>&amp;Change passphrase</source>
        <translation>修改口令(&amp;C)</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Enter your current passphrase.</source>
        <translation>请输入当前口令。</translation>
    </message>
    <message>
        <source>The new passphrase is the same as the current one.</source>
        <translation>新口令与当前口令相同。</translation>
    </message>
    <message>
        <source>Changing passphrase…</source>
        <translation>正在修改口令…</translation>
    </message>
    <message>
        <source>Passphrase changed</source>
        <translation>口令已修改</translation>
    </message>
    <message>
        <source>Your passphrase was changed. Use the new one the next time you unlock Lantern.</source>
        <translation>您的口令已修改。下次解锁 Lantern 时请使用新口令。</translation>
    </message>
</context>
<context>
    <name>ClinicalListPanel</name>
    <message>
        <source>not recorded</source>
        <translation>未记录</translation>
    </message>
    <message>
        <source>mild</source>
        <translation>轻度</translation>
    </message>
    <message>
        <source>moderate</source>
        <translation>中度</translation>
    </message>
    <message>
        <source>severe</source>
        <translation>重度</translation>
    </message>
    <message>
        <source>Substance</source>
        <translation>过敏原</translation>
    </message>
    <message>
        <source>Reaction</source>
        <translation>反应</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>严重程度</translation>
    </message>
    <message>
        <source>&amp;Substance:</source>
        <translation>过敏原(&amp;S)：</translation>
    </message>
    <message>
        <source>&amp;Reaction:</source>
        <translation>反应(&amp;R)：</translation>
    </message>
    <message>
        <source>S&amp;everity:</source>
        <translation>严重程度(&amp;E)：</translation>
    </message>
    <message>
        <source>Add allergy</source>
        <translation>添加过敏</translation>
    </message>
    <message>
        <source>Re&amp;move (entered in error)</source>
        <translation>删除（误录）(&amp;M)</translation>
    </message>
    <message>
        <source>Remove this allergy as entered in error?</source>
        <translation>将此过敏记录作为误录删除？</translation>
    </message>
    <message>
        <source>record damaged: cannot be read</source>
        <translation>记录已损坏：无法读取</translation>
    </message>
    <message>
        <source>Record %1 is missing from the vault.</source>
        <translation>记录 %1 已从数据库中丢失。</translation>
    </message>
    <message>
        <source>Record %1 failed its integrity check.</source>
        <translation>记录 %1 未通过完整性校验。</translation>
    </message>
    <message>
        <source>Its content cannot be shown. An administrator can run &apos;lantern vault verify&apos; or restore a backup.</source>
        <translation>其内容无法显示。管理员可运行 &apos;lantern vault verify&apos; 或恢复备份。</translation>
    </message>
    <message>
        <source>No allergies recorded.</source>
        <translation>未记录过敏。</translation>
    </message>
    <message>
        <source>Medication</source>
        <translation>药物</translation>
    </message>
    <message>
        <source>Dose</source>
        <translation>剂量</translation>
    </message>
    <message>
        <source>Route</source>
        <translation>给药途径</translation>
    </message>
    <message>
        <source>Frequency</source>
        <translation>频次</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>开始日期</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>&amp;Medication:</source>
        <translation>药物(&amp;M)：</translation>
    </message>
    <message>
        <source>&amp;Dose:</source>
        <translation>剂量(&amp;D)：</translation>
    </message>
    <message>
        <source>&amp;Route:</source>
        <translation>给药途径(&amp;R)：</translation>
    </message>
    <message>
        <source>&amp;Frequency:</source>
        <translation>频次(&amp;F)：</translation>
    </message>
    <message>
        <source>Add medication</source>
        <translation>添加用药</translation>
    </message>
    <message>
        <source>S&amp;top medication</source>
        <translation>停药(&amp;T)</translation>
    </message>
    <message>
        <source>Stop this medication today?</source>
        <translation>今天停用此药物？</translation>
    </message>
    <message>
        <source>active</source>
        <translation>使用中</translation>
    </message>
    <message>
        <source>stopped %1</source>
        <translation>已于 %1 停用</translation>
    </message>
    <message>
        <source>No medications recorded.</source>
        <translation>无用药记录。</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>ICD-10</source>
        <translation>ICD-10</translation>
    </message>
    <message>
        <source>&amp;Problem:</source>
        <translation>问题(&amp;P)：</translation>
    </message>
    <message>
        <source>&amp;ICD-10 code:</source>
        <translation>ICD-10 编码(&amp;I)：</translation>
    </message>
    <message>
        <source>Add problem</source>
        <translation>添加问题</translation>
    </message>
    <message>
        <source>Mark re&amp;solved</source>
        <translation>标记为已解决(&amp;S)</translation>
    </message>
    <message>
        <source>Mark this problem as resolved today?</source>
        <translation>将此问题标记为今天已解决？</translation>
    </message>
    <message>
        <source>resolved %1</source>
        <translation>已于 %1 解决</translation>
    </message>
    <message>
        <source>No problems recorded.</source>
        <translation>无问题列表记录。</translation>
    </message>
    <message>
        <source>&amp;Add…</source>
        <translation>添加(&amp;A)…</translation>
    </message>
</context>
<context>
    <name>CreateVaultDialog</name>
    <message>
        <source>Create the clinic vault</source>
        <translation>创建诊所数据库</translation>
    </message>
    <message>
        <source>Welcome to Lantern. Everything about your patients is kept in an encrypted vault on this computer. Create it now: you will be its first administrator.</source>
        <translation>欢迎使用 Lantern。所有患者资料都保存在本机的加密数据库中。现在创建它：您将成为第一位管理员。</translation>
    </message>
    <message>
        <source>e.g. Mbala Rural Health Centre</source>
        <translation>例如 Mbala 乡村卫生中心</translation>
    </message>
    <message>
        <source>lower-case, e.g. amina</source>
        <translation>小写字母，例如 amina</translation>
    </message>
    <message>
        <source>&amp;Clinic name:</source>
        <translation>诊所名称(&amp;C)：</translation>
    </message>
    <message>
        <source>&amp;Administrator user name:</source>
        <translation>管理员用户名(&amp;A)：</translation>
    </message>
    <message>
        <source>&amp;Passphrase:</source>
        <translation>口令(&amp;P)：</translation>
    </message>
    <message>
        <source>C&amp;reate vault</source>
        <translation>创建数据库(&amp;R)</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Restore from &amp;backup…</source>
        <translation>从备份恢复(&amp;B)…</translation>
    </message>
    <message>
        <source>Moving to a new laptop? Restore the vault from a backup file instead.</source>
        <translation>要换到新电脑？可以改为从备份文件恢复数据库。</translation>
    </message>
    <message>
        <source>&amp;Join clinic…</source>
        <translation>加入诊所(&amp;J)…</translation>
    </message>
    <message>
        <source>A new laptop for a clinic that uses Lantern already: join it with the enrolment file and code an administrator made.</source>
        <translation>已在使用 Lantern 的诊所的新电脑：用管理员制作的注册文件和注册码加入。</translation>
    </message>
    <message>
        <source>Creating the vault and deriving the key…</source>
        <translation>正在创建数据库并生成密钥…</translation>
    </message>
    <message>
        <source>&lt;b&gt;Your recovery key&lt;/b&gt;</source>
        <translation>&lt;b&gt;您的恢复密钥&lt;/b&gt;</translation>
    </message>
    <message>
        <source>If every administrator forgets their passphrase, this key is the only way to open the vault. Write it on paper now and keep it locked away from the laptop. It will not be shown again.</source>
        <translation>如果所有管理员都忘记了口令，这个密钥是打开数据库的唯一方法。请现在把它抄在纸上，并与电脑分开锁好保存。它不会再次显示。</translation>
    </message>
    <message>
        <source>I have &amp;written it down and will keep it safe</source>
        <translation>我已抄下并会妥善保管(&amp;W)</translation>
    </message>
    <message>
        <source>C&amp;ontinue</source>
        <translation>继续(&amp;O)</translation>
    </message>
    <message>
        <source>Enter the clinic name.</source>
        <translation>请输入诊所名称。</translation>
    </message>
    <message>
        <source>Enter a user name for the administrator.</source>
        <translation>请输入管理员用户名。</translation>
    </message>
    <message>
        <source>Creating vault…</source>
        <translation>正在创建数据库…</translation>
    </message>
</context>
<context>
    <name>DraftBar</name>
    <message>
        <source>&amp;Take over…</source>
        <translation>接手(&amp;T)…</translation>
    </message>
    <message>
        <source>Continue this draft yourself; its writer is told in the record and the audit trail</source>
        <translation>由您继续此草稿；病历和审计记录中会注明原书写者</translation>
    </message>
    <message>
        <source>This draft is being written by %1. It is read-only for you.</source>
        <translation>此草稿正由 %1 书写，您只能查看。</translation>
    </message>
    <message>
        <source>Take it over to continue it (your colleague can no longer edit it).</source>
        <translation>接手后可继续书写（您的同事将不能再编辑）。</translation>
    </message>
    <message>
        <source>Ask them to hand it over, or a clinician may take it over.</source>
        <translation>请对方移交给您，或由临床医生接手。</translation>
    </message>
</context>
<context>
    <name>DraftHandover</name>
    <message>
        <source>1 character</source>
        <translation>1 个字符</translation>
    </message>
    <message>
        <source>%1 characters</source>
        <translation>%1 个字符</translation>
    </message>
    <message>
        <source>taken over %1</source>
        <translation>于 %1 接手</translation>
    </message>
    <message>
        <source>handed over %1</source>
        <translation>于 %1 移交</translation>
    </message>
    <message>
        <source>Written by: %1</source>
        <translation>书写者：%1</translation>
    </message>
</context>
<context>
    <name>DuplicateCandidatesDialog</name>
    <message>
        <source>Already registered?</source>
        <translation>已经登记过？</translation>
    </message>
    <message>
        <source>This patient may already be registered. Open the existing record if it is the same person; nothing has been saved yet.</source>
        <translation>此患者可能已经登记过。如果是同一个人，请打开已有的档案；目前尚未保存任何内容。</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Sex</source>
        <translation>性别</translation>
    </message>
    <message>
        <source>Age</source>
        <translation>年龄</translation>
    </message>
    <message>
        <source>Village</source>
        <translation>村庄</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Last visit</source>
        <translation>最近就诊</translation>
    </message>
    <message>
        <source>no visit</source>
        <translation>无就诊</translation>
    </message>
    <message>
        <source>ID %1</source>
        <translation>编号 %1</translation>
    </message>
    <message>
        <source>&amp;Open this record</source>
        <translation>打开此档案(&amp;O)</translation>
    </message>
    <message>
        <source>This is a &amp;new patient</source>
        <translation>这是新患者(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Back to the form</source>
        <translation>返回表单(&amp;B)</translation>
    </message>
</context>
<context>
    <name>EncounterView</name>
    <message>
        <source>← &amp;Chart</source>
        <translation>← 病历(&amp;C)</translation>
    </message>
    <message>
        <source>Back to the patient chart (Alt+C)</source>
        <translation>返回患者病历（Alt+C）</translation>
    </message>
    <message>
        <source>&amp;Sign note</source>
        <translation>签名(&amp;S)</translation>
    </message>
    <message>
        <source>Sign the note (Ctrl+Shift+S)</source>
        <translation>为病历签名（Ctrl+Shift+S）</translation>
    </message>
    <message>
        <source>A&amp;mend…</source>
        <translation>修订(&amp;M)…</translation>
    </message>
    <message>
        <source>Hand &amp;over…</source>
        <translation>移交(&amp;O)…</translation>
    </message>
    <message>
        <source>Hand this draft over to a colleague</source>
        <translation>将此草稿移交给同事</translation>
    </message>
    <message>
        <source>Pre&amp;gnant</source>
        <translation>妊娠(&amp;G)</translation>
    </message>
    <message>
        <source>Vital signs</source>
        <translation>生命体征</translation>
    </message>
    <message>
        <source>History, examination, assessment and plan…</source>
        <translation>病史、体格检查、评估和处理计划…</translation>
    </message>
    <message>
        <source>&amp;Note</source>
        <translation>病历记录(&amp;N)</translation>
    </message>
    <message>
        <source>Encounter of %1 by %2</source>
        <translation>就诊 %1 · 医生 %2</translation>
    </message>
    <message>
        <source>Signed by %1 on %2. A signed note cannot be changed; use Amend… to add to it.</source>
        <translation>%1 于 %2 签名。已签名的病历不能更改；请用“修订…”补充。</translation>
    </message>
    <message>
        <source>Signed</source>
        <translation>已签名</translation>
    </message>
    <message>
        <source>Read-only draft</source>
        <translation>只读草稿</translation>
    </message>
    <message>
        <source>Draft</source>
        <translation>草稿</translation>
    </message>
    <message>
        <source>Editing…</source>
        <translation>正在编辑…</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
    <message>
        <source>Draft saved %1</source>
        <translation>草稿已于 %1 保存</translation>
    </message>
    <message>
        <source>Draft NOT saved: a colleague holds it now</source>
        <translation>草稿未保存：现由同事书写</translation>
    </message>
    <message>
        <source>Draft NOT saved</source>
        <translation>草稿未保存</translation>
    </message>
    <message>
        <source>Saving draft…</source>
        <translation>正在保存草稿…</translation>
    </message>
    <message>
        <source>Take over draft</source>
        <translation>接手草稿</translation>
    </message>
    <message>
        <source>Take over the draft %1 is writing? You continue it and sign it; %1 can no longer edit it. Both are recorded.</source>
        <translation>接手 %1 正在书写的草稿？由您继续书写并签名；%1 将不能再编辑。双方均会被记录。</translation>
    </message>
    <message>
        <source>Taking over draft…</source>
        <translation>正在接手草稿…</translation>
    </message>
    <message>
        <source>Loading colleagues…</source>
        <translation>正在加载同事列表…</translation>
    </message>
    <message>
        <source>Handing over draft…</source>
        <translation>正在移交草稿…</translation>
    </message>
    <message>
        <source>Cannot sign yet</source>
        <translation>暂不能签名</translation>
    </message>
    <message>
        <source>The note is empty.</source>
        <translation>病历记录为空。</translation>
    </message>
    <message>
        <source>Sign note</source>
        <translation>病历签名</translation>
    </message>
    <message>
        <source>Sign this note? After signing it can no longer be edited, only amended.</source>
        <translation>为此病历签名？签名后不能再编辑，只能修订。</translation>
    </message>
    <message>
        <source>Signing…</source>
        <translation>正在签名…</translation>
    </message>
    <message>
        <source>Saving amendment…</source>
        <translation>正在保存修订…</translation>
    </message>
</context>
<context>
    <name>EnrolDialog</name>
    <message>
        <source>Enrol a laptop</source>
        <translation>注册电脑</translation>
    </message>
    <message>
        <source>A new laptop joins the clinic from an enrolment file (for a USB stick) and a one-time code of 8 words, valid for 15 minutes. The file holds an encrypted copy of this vault; its users then unlock it with their own passphrases. Give the code in person, not on the same stick.</source>
        <translation>新电脑通过一个注册文件（存到 U 盘）和一个由 8 个单词组成的一次性注册码加入诊所，有效期 15 分钟。该文件包含本数据库的加密副本；之后各用户用自己的口令解锁。请当面告知注册码，不要和文件放在同一个 U 盘上。</translation>
    </message>
    <message>
        <source>e.g. outreach laptop</source>
        <translation>例如 外展电脑</translation>
    </message>
    <message>
        <source>where to write the enrolment file</source>
        <translation>注册文件的保存位置</translation>
    </message>
    <message>
        <source>New laptop&apos;s &amp;name:</source>
        <translation>新电脑名称(&amp;N)：</translation>
    </message>
    <message>
        <source>Enrolment &amp;file:</source>
        <translation>注册文件(&amp;F)：</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>浏览(&amp;B)…</translation>
    </message>
    <message>
        <source>&amp;Create enrolment</source>
        <translation>创建注册(&amp;C)</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>&amp;Done</source>
        <translation>完成(&amp;D)</translation>
    </message>
    <message>
        <source>Write the enrolment file to…</source>
        <translation>将注册文件写入…</translation>
    </message>
    <message>
        <source>Lantern enrolment (*.enrol)</source>
        <translation>Lantern 注册文件 (*.enrol)</translation>
    </message>
    <message>
        <source>Writing the enrolment file…</source>
        <translation>正在写入注册文件…</translation>
    </message>
    <message>
        <source>The enrolment file for %1 was written to %2. On the new laptop choose &quot;Join clinic…&quot; on the first screen, choose the file and type this code:</source>
        <translation>%1 的注册文件已写入 %2。在新电脑的首个界面选择“加入诊所…”，选择该文件并输入以下注册码：</translation>
    </message>
    <message>
        <source>Valid once, until %1 (15 minutes). It is not shown again: make a new enrolment if it expires.</source>
        <translation>仅可使用一次，有效至 %1（15 分钟）。注册码不会再次显示：过期后请重新创建注册。</translation>
    </message>
</context>
<context>
    <name>Extensions</name>
    <message>
        <source>&amp;Models…</source>
        <translation>模型(&amp;M)…</translation>
    </message>
    <message>
        <source>Check this &amp;laptop…</source>
        <translation>检测本机性能(&amp;L)…</translation>
    </message>
    <message>
        <source>Loading knowledge base…</source>
        <translation>正在加载知识库…</translation>
    </message>
    <message>
        <source>Assessment</source>
        <translation>评估</translation>
    </message>
    <message>
        <source>&amp;Assess this encounter</source>
        <translation>评估本次就诊(&amp;A)</translation>
    </message>
    <message>
        <source>Saving assessment…</source>
        <translation>正在保存评估…</translation>
    </message>
    <message>
        <source>Loading assessment…</source>
        <translation>正在加载评估…</translation>
    </message>
    <message>
        <source>Loading formulary…</source>
        <translation>正在加载处方集…</translation>
    </message>
    <message>
        <source>Saving orders…</source>
        <translation>正在保存医嘱…</translation>
    </message>
    <message>
        <source>Orders</source>
        <translation>医嘱</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>摘要</translation>
    </message>
    <message>
        <source>Loading visits…</source>
        <translation>正在加载就诊记录…</translation>
    </message>
    <message>
        <source>Loading summary draft…</source>
        <translation>正在加载摘要草稿…</translation>
    </message>
    <message>
        <source>Saving summary…</source>
        <translation>正在保存摘要…</translation>
    </message>
    <message>
        <source>Saving summary draft…</source>
        <translation>正在保存摘要草稿…</translation>
    </message>
    <message>
        <source>Ask next</source>
        <translation>下一步问诊</translation>
    </message>
    <message>
        <source>Ask &amp;next question</source>
        <translation>下一步问诊(&amp;N)</translation>
    </message>
    <message>
        <source>Recording the print…</source>
        <translation>正在记录打印…</translation>
    </message>
</context>
<context>
    <name>FieldsDialog</name>
    <message>
        <source>Please fill in: %1</source>
        <translation>请填写：%1</translation>
    </message>
</context>
<context>
    <name>FollowupConfirmDialog</name>
    <message>
        <source>Follow-up</source>
        <translation>随访</translation>
    </message>
    <message>
        <source>The note proposes a follow-up visit. Confirm it, change it, or choose No follow-up.</source>
        <translation>病历建议了一次随访。请确认、修改，或选择“不安排随访”。</translation>
    </message>
    <message>
        <source>None</source>
        <translation>无</translation>
    </message>
    <message>
        <source>&amp;Due date:</source>
        <translation>到期日期(&amp;D)：</translation>
    </message>
    <message>
        <source>&amp;Programme:</source>
        <translation>项目(&amp;P)：</translation>
    </message>
    <message>
        <source>&amp;Reason:</source>
        <translation>原因(&amp;R)：</translation>
    </message>
    <message>
        <source>Confirm follow-up</source>
        <translation>确认随访</translation>
    </message>
    <message>
        <source>No follow-up</source>
        <translation>不安排随访</translation>
    </message>
    <message>
        <source>born %1</source>
        <translation>出生于 %1</translation>
    </message>
</context>
<context>
    <name>FollowupListModel</name>
    <message>
        <source>Due</source>
        <translation>到期</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Village</source>
        <translation>村庄</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Caregiver phone</source>
        <translation>照护人电话</translation>
    </message>
    <message>
        <source>Programme</source>
        <translation>项目</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Overdue %1 d</source>
        <translation>逾期 %1 天</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>今天</translation>
    </message>
    <message>
        <source>In %1 d</source>
        <translation>%1 天后</translation>
    </message>
    <message>
        <source>called</source>
        <translation>已致电</translation>
    </message>
    <message>
        <source>not reachable</source>
        <translation>联系不上</translation>
    </message>
</context>
<context>
    <name>FollowupPanel</name>
    <message>
        <source>Follow-ups</source>
        <translation>随访</translation>
    </message>
    <message>
        <source>Overdue</source>
        <translation>逾期</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>今天</translation>
    </message>
    <message>
        <source>This week</source>
        <translation>本周</translation>
    </message>
    <message>
        <source>All open</source>
        <translation>全部未完成</translation>
    </message>
    <message>
        <source>All programmes</source>
        <translation>全部项目</translation>
    </message>
    <message>
        <source>Village</source>
        <translation>村庄</translation>
    </message>
    <message>
        <source>Refresh (F5)</source>
        <translation>刷新 (F5)</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>撤销(&amp;U)</translation>
    </message>
    <message>
        <source>Take back the outcome just recorded (Ctrl+Z in the list)</source>
        <translation>撤回刚记录的结果（在列表中按 Ctrl+Z）</translation>
    </message>
    <message>
        <source>&amp;Came</source>
        <translation>已来(&amp;C)</translation>
    </message>
    <message>
        <source>Ca&amp;lled</source>
        <translation>已致电(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Not reachable</source>
        <translation>联系不上(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Moved</source>
        <translation>已搬走(&amp;M)</translation>
    </message>
    <message>
        <source>&amp;Died</source>
        <translation>已死亡(&amp;D)</translation>
    </message>
    <message>
        <source>Outcome:</source>
        <translation>结果：</translation>
    </message>
    <message>
        <source>Follow-ups: %1</source>
        <translation>随访：%1</translation>
    </message>
    <message>
        <source>Loading follow-ups…</source>
        <translation>正在加载随访…</translation>
    </message>
    <message>
        <source>Came</source>
        <translation>已来</translation>
    </message>
    <message>
        <source>Called</source>
        <translation>已致电</translation>
    </message>
    <message>
        <source>Not reachable</source>
        <translation>联系不上</translation>
    </message>
    <message>
        <source>Moved</source>
        <translation>已搬走</translation>
    </message>
    <message>
        <source>Died</source>
        <translation>已死亡</translation>
    </message>
    <message>
        <source>Record a death</source>
        <translation>记录死亡</translation>
    </message>
    <message>
        <source>Record that %1 has died? The follow-up is closed and leaves the list.</source>
        <translation>确认记录 %1 已死亡？该随访将关闭并从列表中移除。</translation>
    </message>
    <message>
        <source>%1: %2 recorded.</source>
        <translation>%1：已记录“%2”。</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
    <message>
        <source>Outcome undone.</source>
        <translation>结果已撤销。</translation>
    </message>
    <message>
        <source>Undoing…</source>
        <translation>正在撤销…</translation>
    </message>
</context>
<context>
    <name>FollowupScheduler</name>
    <message>
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
</context>
<context>
    <name>GrowthPanel</name>
    <message>
        <source>severe</source>
        <translation>重度</translation>
    </message>
    <message>
        <source>moderate</source>
        <translation>中度</translation>
    </message>
    <message>
        <source>normal range</source>
        <translation>正常范围</translation>
    </message>
    <message>
        <source>Weight-for-age</source>
        <translation>年龄别体重</translation>
    </message>
    <message>
        <source>Length/height-for-age</source>
        <translation>年龄别身长/身高</translation>
    </message>
    <message>
        <source>Weight-for-length</source>
        <translation>身长别体重</translation>
    </message>
    <message>
        <source>Weight-for-height</source>
        <translation>身高别体重</translation>
    </message>
    <message>
        <source>MUAC</source>
        <translation>上臂围</translation>
    </message>
    <message>
        <source>Age (completed months)</source>
        <translation>月龄（足月）</translation>
    </message>
    <message>
        <source>Weight (kg)</source>
        <translation>体重（kg）</translation>
    </message>
    <message>
        <source>Length/height (cm)</source>
        <translation>身长/身高（cm）</translation>
    </message>
    <message>
        <source>MUAC (mm)</source>
        <translation>上臂围（mm）</translation>
    </message>
    <message>
        <source>Boys</source>
        <translation>男孩</translation>
    </message>
    <message>
        <source>Girls</source>
        <translation>女孩</translation>
    </message>
    <message>
        <source>This child</source>
        <translation>本患儿</translation>
    </message>
    <message>
        <source>&lt; 115 mm: severe</source>
        <translation>&lt; 115 mm：重度</translation>
    </message>
    <message>
        <source>115–124 mm: moderate</source>
        <translation>115–124 mm：中度</translation>
    </message>
    <message>
        <source>WHO Child Growth Standards (2006)</source>
        <translation>WHO儿童生长标准（2006）</translation>
    </message>
    <message>
        <source>No measurements recorded</source>
        <translation>尚无测量记录</translation>
    </message>
    <message>
        <source>Underweight</source>
        <translation>低体重</translation>
    </message>
    <message>
        <source>Severely underweight</source>
        <translation>重度低体重</translation>
    </message>
    <message>
        <source>Stunted</source>
        <translation>生长迟缓</translation>
    </message>
    <message>
        <source>Severely stunted</source>
        <translation>重度生长迟缓</translation>
    </message>
    <message>
        <source>Moderate wasting</source>
        <translation>中度消瘦</translation>
    </message>
    <message>
        <source>Severe wasting</source>
        <translation>重度消瘦</translation>
    </message>
    <message>
        <source>Weight-for-length/height</source>
        <translation>身长/身高别体重</translation>
    </message>
    <message>
        <source>MUAC trend</source>
        <translation>上臂围趋势</translation>
    </message>
    <message>
        <source>C&amp;hart:</source>
        <translation>图表(&amp;H)：</translation>
    </message>
    <message>
        <source>E&amp;xport PDF…</source>
        <translation>导出 PDF(&amp;X)…</translation>
    </message>
    <message>
        <source>Latest</source>
        <translation>最近一次</translation>
    </message>
    <message>
        <source>z-score</source>
        <translation>Z评分</translation>
    </message>
    <message>
        <source>Classification</source>
        <translation>分类</translation>
    </message>
    <message>
        <source>No weight, length/height or MUAC is recorded in this child&apos;s encounters yet.</source>
        <translation>该患儿的就诊记录中尚无体重、身长/身高或上臂围。</translation>
    </message>
    <message>
        <source>MUAC %1 mm</source>
        <translation>上臂围 %1 mm</translation>
    </message>
    <message>
        <source>Export growth chart</source>
        <translation>导出生长曲线图</translation>
    </message>
    <message>
        <source>PDF (*.pdf)</source>
        <translation>PDF (*.pdf)</translation>
    </message>
    <message>
        <source>Growth chart</source>
        <translation>生长曲线图</translation>
    </message>
    <message>
        <source>The PDF could not be written there. Choose another folder.</source>
        <translation>无法在该位置写入 PDF，请选择其他文件夹。</translation>
    </message>
</context>
<context>
    <name>HandOverDialog</name>
    <message>
        <source>Hand over draft</source>
        <translation>移交草稿</translation>
    </message>
    <message>
        <source>Hand this draft over to a colleague. They continue and sign it; you can no longer edit it. What you wrote stays marked as yours.</source>
        <translation>将此草稿移交给同事。由其继续书写并签名；您将不能再编辑。您已写的内容仍标注为您所写。</translation>
    </message>
    <message>
        <source>No other clinician has an account here.</source>
        <translation>此处没有其他临床医生的账户。</translation>
    </message>
</context>
<context>
    <name>InterviewPanel</name>
    <message>
        <source>Questions that best separate the conditions still in play; danger signs first. Keys: 1 Yes, 2 No, 3 Unknown; Up/Down to move.</source>
        <translation>最能区分当前可能疾病的问题，危险征象优先。按键：1 有，2 无，3 不详；上下方向键移动。</translation>
    </message>
    <message>
        <source>No answers yet.</source>
        <translation>尚无回答。</translation>
    </message>
    <message>
        <source>Open an encounter to see questions.</source>
        <translation>打开一次就诊以查看问题。</translation>
    </message>
    <message>
        <source>Answered (from the note)</source>
        <translation>已回答（取自病历记录）</translation>
    </message>
    <message>
        <source>en</source>
        <comment>language code of this translation</comment>
        <translation>zh</translation>
    </message>
    <message>
        <source>Questions could not be computed.</source>
        <translation>无法计算问题。</translation>
    </message>
    <message>
        <source>Choosing questions…</source>
        <translation>正在选择问题…</translation>
    </message>
    <message>
        <source>Separates: %1</source>
        <translation>用于区分：%1</translation>
    </message>
    <message>
        <source>The differential is settled: no question would change it.</source>
        <translation>鉴别诊断已明确：再问也不会改变结果。</translation>
    </message>
    <message>
        <source>No question is worth asking now.</source>
        <translation>目前没有值得再问的问题。</translation>
    </message>
    <message>
        <source>The note is signed: answers cannot be added.</source>
        <translation>病历记录已签名：不能再添加回答。</translation>
    </message>
    <message>
        <source>EMERGENCY</source>
        <translation>紧急（红色）</translation>
    </message>
    <message>
        <source>URGENT</source>
        <translation>优先（黄色）</translation>
    </message>
    <message>
        <source>ROUTINE</source>
        <translation>常规（绿色）</translation>
    </message>
    <message>
        <source>Answers: %1</source>
        <translation>回答：%1</translation>
    </message>
    <message>
        <source>corrected: %1</source>
        <translation>已更正：%1</translation>
    </message>
    <message>
        <source>top condition changed: %1 → %2</source>
        <translation>首位诊断改变：%1 → %2</translation>
    </message>
    <message>
        <source>%1: %2 → %3</source>
        <translation>%1：%2 → %3</translation>
    </message>
    <message>
        <source>triage %1 → %2</source>
        <translation>分诊 %1 → %2</translation>
    </message>
    <message>
        <source>emergency</source>
        <translation>紧急</translation>
    </message>
    <message>
        <source>urgent</source>
        <translation>优先</translation>
    </message>
    <message>
        <source>routine</source>
        <translation>常规</translation>
    </message>
</context>
<context>
    <name>JoinDialog</name>
    <message>
        <source>Join clinic</source>
        <translation>加入诊所</translation>
    </message>
    <message>
        <source>Join a clinic that already uses Lantern: an administrator makes an enrolment and a code of 8 words on one of the clinic&apos;s laptops (Tools → Enrol a laptop…), as a file or on the clinic&apos;s server. Choose where it is and type the code.</source>
        <translation>加入已在使用 Lantern 的诊所：管理员在诊所的一台电脑上制作注册和由 8 个单词组成的注册码（工具 → 注册电脑…），注册可以是一个文件，也可以放在诊所的服务器上。请选择注册所在的位置并输入注册码。</translation>
    </message>
    <message>
        <source>From a fi&amp;le</source>
        <translation>从文件(&amp;L)</translation>
    </message>
    <message>
        <source>From the clinic&apos;s &amp;server</source>
        <translation>从诊所服务器(&amp;S)</translation>
    </message>
    <message>
        <source>the enrolment file</source>
        <translation>注册文件</translation>
    </message>
    <message>
        <source>the clinic database, as the administrator gives it</source>
        <translation>诊所数据库名称（由管理员提供）</translation>
    </message>
    <message>
        <source>8 words</source>
        <translation>8 个单词</translation>
    </message>
    <message>
        <source>Enrolment:</source>
        <translation>注册来源：</translation>
    </message>
    <message>
        <source>Enrolment &amp;file:</source>
        <translation>注册文件(&amp;F)：</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>浏览(&amp;B)…</translation>
    </message>
    <message>
        <source>Server &amp;address:</source>
        <translation>服务器地址(&amp;A)：</translation>
    </message>
    <message>
        <source>Clinic &amp;database:</source>
        <translation>诊所数据库(&amp;D)：</translation>
    </message>
    <message>
        <source>Enrolment &amp;code:</source>
        <translation>注册码(&amp;C)：</translation>
    </message>
    <message>
        <source>&amp;Join</source>
        <translation>加入(&amp;J)</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Choose the enrolment file</source>
        <translation>选择注册文件</translation>
    </message>
    <message>
        <source>Lantern enrolment (*.enrol);;All files (*)</source>
        <translation>Lantern 注册文件 (*.enrol);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Joining the clinic…</source>
        <translation>正在加入诊所…</translation>
    </message>
</context>
<context>
    <name>LaptopCheckDialog</name>
    <message>
        <source>Check this laptop</source>
        <translation>检测这台电脑</translation>
    </message>
    <message>
        <source>Measures how fast the active model loads, reads and writes on this laptop, and which models it can run. Takes about a minute; the app stays usable.</source>
        <translation>测量当前模型在这台电脑上的加载、读取和生成速度，以及它能运行哪些模型。大约需要一分钟，期间程序仍可使用。</translation>
    </message>
    <message>
        <source>Run check</source>
        <translation>开始检测</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Checking this laptop…</source>
        <translation>正在检测这台电脑…</translation>
    </message>
    <message>
        <source>Stopping after the current step…</source>
        <translation>完成当前步骤后停止…</translation>
    </message>
    <message>
        <source>Done.</source>
        <translation>完成。</translation>
    </message>
    <message>
        <source>The check did not finish.</source>
        <translation>检测未完成。</translation>
    </message>
</context>
<context>
    <name>LaptopsDialog</name>
    <message>
        <source>Laptops of this clinic</source>
        <translation>本诊所的电脑</translation>
    </message>
    <message>
        <source>The laptops this vault knows: enrolled from here, or known by the changes they synced. Revoke a lost or stolen laptop: its changes are refused from then on and the clinic&apos;s data key changes.</source>
        <translation>本数据库已知的电脑：从本机登记的，或通过其同步的更改得知的。丢失或被盗的电脑请撤销：此后拒收其更改，诊所的数据密钥随之更换。</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Device id</source>
        <translation>设备 ID</translation>
    </message>
    <message>
        <source>Enrolled / revoked</source>
        <translation>登记 / 撤销时间</translation>
    </message>
    <message>
        <source>&amp;Revoke…</source>
        <translation>撤销(&amp;R)…</translation>
    </message>
    <message>
        <source>&amp;Close</source>
        <translation>关闭(&amp;C)</translation>
    </message>
    <message>
        <source>this laptop</source>
        <translation>本机</translation>
    </message>
    <message>
        <source>enrolled</source>
        <translation>已登记</translation>
    </message>
    <message>
        <source>revoked</source>
        <translation>已撤销</translation>
    </message>
    <message>
        <source>known by its changes</source>
        <translation>通过同步得知</translation>
    </message>
    <message>
        <source>Reading the clinic&apos;s laptops…</source>
        <translation>正在读取本诊所的电脑…</translation>
    </message>
    <message>
        <source>Revoke a laptop</source>
        <translation>撤销电脑</translation>
    </message>
    <message>
        <source>Revoke %1? Do this for a lost or stolen laptop. Its changes will be refused here from now on, and the clinic&apos;s data key changes: every laptop that stays must sync once more and then join again from a new enrolment file. This cannot be undone.</source>
        <translation>撤销 %1？用于丢失或被盗的电脑。此后本机将拒收其更改，诊所的数据密钥随之更换：其余每台电脑需再同步一次，然后用新的登记文件重新加入。此操作无法撤回。</translation>
    </message>
    <message>
        <source>Revoking the laptop…</source>
        <translation>正在撤销电脑…</translation>
    </message>
    <message>
        <source>Revoked %1. The data key changed (key epoch %2).</source>
        <translation>已撤销 %1。数据密钥已更换（密钥版本 %2）。</translation>
    </message>
</context>
<context>
    <name>LetterBar</name>
    <message>
        <source>Choose or type the receiving facility</source>
        <translation>选择或输入接收单位</translation>
    </message>
    <message>
        <source>As the note</source>
        <translation>与病历相同</translation>
    </message>
    <message>
        <source>&amp;To:</source>
        <translation>转往(&amp;T)：</translation>
    </message>
    <message>
        <source>Letter lan&amp;guage:</source>
        <translation>转诊单语言(&amp;G)：</translation>
    </message>
</context>
<context>
    <name>LetterPrint</name>
    <message>
        <source>Print</source>
        <translation>打印</translation>
    </message>
    <message>
        <source>The document could not be written. Check the printer, or the folder and free space for a PDF, and try again.</source>
        <translation>文档无法写出。请检查打印机，或 PDF 的文件夹及剩余空间，然后重试。</translation>
    </message>
    <message>
        <source>Export PDF</source>
        <translation>导出 PDF</translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
</context>
<context>
    <name>LetterSettings</name>
    <message>
        <source>Hospital</source>
        <translation>医院</translation>
    </message>
    <message>
        <source>Health centre</source>
        <translation>卫生院/中心</translation>
    </message>
    <message>
        <source>Clinic</source>
        <translation>诊所</translation>
    </message>
    <message>
        <source>Laboratory</source>
        <translation>检验机构</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>其他</translation>
    </message>
    <message>
        <source>A receiving facility needs a name.</source>
        <translation>接收单位需要名称。</translation>
    </message>
    <message>
        <source>Two receiving facilities have the same name.</source>
        <translation>两个接收单位名称相同。</translation>
    </message>
    <message>
        <source>The clinic phone number may contain digits, spaces, + - ( ) . / and an extension only.</source>
        <translation>诊所电话只能包含数字、空格、+ - ( ) . / 和分机号。</translation>
    </message>
    <message>
        <source>The facility phone number may contain digits, spaces, + - ( ) . / and an extension only.</source>
        <translation>单位电话只能包含数字、空格、+ - ( ) . / 和分机号。</translation>
    </message>
    <message>
        <source>(no name)</source>
        <translation>（未命名）</translation>
    </message>
</context>
<context>
    <name>LetterSettingsPage</name>
    <message>
        <source>The vault&apos;s clinic name</source>
        <translation>数据库中的诊所名称</translation>
    </message>
    <message>
        <source>Letterhead</source>
        <translation>信头</translation>
    </message>
    <message>
        <source>Clinic &amp;name:</source>
        <translation>诊所名称(&amp;N)：</translation>
    </message>
    <message>
        <source>Clinic a&amp;ddress:</source>
        <translation>诊所地址(&amp;D)：</translation>
    </message>
    <message>
        <source>Clinic p&amp;hone:</source>
        <translation>诊所电话(&amp;H)：</translation>
    </message>
    <message>
        <source>&amp;Add facility</source>
        <translation>添加单位(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation>删除(&amp;R)</translation>
    </message>
    <message>
        <source>Receiving facilities</source>
        <translation>接收单位</translation>
    </message>
    <message>
        <source>Facility na&amp;me:</source>
        <translation>单位名称(&amp;M)：</translation>
    </message>
    <message>
        <source>Facility addr&amp;ess:</source>
        <translation>单位地址(&amp;E)：</translation>
    </message>
    <message>
        <source>Facility pho&amp;ne:</source>
        <translation>单位电话(&amp;N)：</translation>
    </message>
    <message>
        <source>&amp;Kind:</source>
        <translation>类型(&amp;K)：</translation>
    </message>
    <message>
        <source>Printed on referral letters. This is clinic information, kept in the settings file next to the vault; it holds no patient data.</source>
        <translation>打印在转诊单上。这些是诊所信息，保存在数据库旁的设置文件中，不含患者资料。</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Lantern</source>
        <translation>Lantern</translation>
    </message>
    <message>
        <source>Select a patient on the left, or register a new one with Ctrl+N.</source>
        <translation>请在左侧选择患者，或按 Ctrl+N 登记新患者。</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Lock</source>
        <translation>锁定(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>设置(&amp;S)…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>Change &amp;passphrase…</source>
        <translation>修改口令(&amp;P)…</translation>
    </message>
    <message>
        <source>&amp;Back up vault…</source>
        <translation>备份数据库(&amp;B)…</translation>
    </message>
    <message>
        <source>&amp;Patient</source>
        <translation>患者(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Find patient</source>
        <translation>查找患者(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Register patient…</source>
        <translation>登记患者(&amp;R)…</translation>
    </message>
    <message>
        <source>&amp;Edit patient…</source>
        <translation>编辑患者(&amp;E)…</translation>
    </message>
    <message>
        <source>New e&amp;ncounter</source>
        <translation>新建就诊(&amp;N)</translation>
    </message>
    <message>
        <source>Schedule follo&amp;w-up…</source>
        <translation>安排随访(&amp;W)…</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Patient list</source>
        <translation>患者列表(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Follow-up list</source>
        <translation>随访列表(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Reports…</source>
        <translation>报告(&amp;R)…</translation>
    </message>
    <message>
        <source>&amp;Tools</source>
        <translation>工具(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Users…</source>
        <translation>用户管理(&amp;U)…</translation>
    </message>
    <message>
        <source>&amp;Audit log…</source>
        <translation>审计日志(&amp;A)…</translation>
    </message>
    <message>
        <source>&amp;Enrol a laptop…</source>
        <translation>注册电脑(&amp;E)…</translation>
    </message>
    <message>
        <source>&amp;Laptops of this clinic…</source>
        <translation>本诊所的电脑(&amp;L)…</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;About Lantern</source>
        <translation>关于 Lantern(&amp;A)</translation>
    </message>
    <message>
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
    <message>
        <source>Lantern — %1</source>
        <translation>Lantern — %1</translation>
    </message>
    <message>
        <source>
… and %1 more.</source>
        <translation>
……另有 %1 项。</translation>
    </message>
    <message>
        <source>Integrity alarm: this vault was changed outside Lantern. It is open READ-ONLY and nothing will be saved until an administrator reviews the findings (lantern vault accept-state) or restores a backup.</source>
        <translation>完整性警报：此数据库在 Lantern 之外被修改过。它以只读方式打开，在管理员审查这些发现（lantern vault accept-state）或恢复备份之前，任何内容都不会被保存。</translation>
    </message>
    <message>
        <source>en</source>
        <comment>language code of this translation</comment>
        <translation>zh</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
    <message>
        <source>Reading the follow-up…</source>
        <translation>正在读取随访…</translation>
    </message>
    <message>
        <source>Open a patient&apos;s chart to schedule a follow-up.</source>
        <translation>请先打开患者病历，再安排随访。</translation>
    </message>
    <message>
        <source>Follow-up scheduled for %1.</source>
        <translation>已安排随访：%1。</translation>
    </message>
    <message>
        <source>Registering patient…</source>
        <translation>正在登记患者…</translation>
    </message>
    <message>
        <source>About Lantern</source>
        <translation>关于 Lantern</translation>
    </message>
    <message>
        <source>Lantern — an offline clinical assistant. It suggests; the clinician decides.</source>
        <translation>Lantern —— 离线临床助手。它只提供建议，由临床医生作决定。</translation>
    </message>
</context>
<context>
    <name>MergeBar</name>
    <message>
        <source>&amp;Merge…</source>
        <translation>合并(&amp;M)…</translation>
    </message>
    <message>
        <source>Merge another record of this patient into this one</source>
        <translation>把此患者的另一份档案合并到这份档案</translation>
    </message>
    <message>
        <source>Unmerge %1…</source>
        <translation>撤销合并 %1…</translation>
    </message>
    <message>
        <source>Unmerge record</source>
        <translation>撤销合并档案</translation>
    </message>
    <message>
        <source>Give record %1 back the encounters, allergies, medications, problems, assessments and summaries it had before it was merged into %2? It returns to the patient list. This is recorded in the audit trail.</source>
        <translation>把档案 %1 在合并到 %2 之前的就诊、过敏、用药、问题、评估和摘要还给它吗？它将回到患者列表。此操作会记入审计记录。</translation>
    </message>
    <message>
        <source>Unmerging records…</source>
        <translation>正在撤销合并…</translation>
    </message>
</context>
<context>
    <name>MergeDialog</name>
    <message>
        <source>Merge two records of one patient</source>
        <translation>合并同一患者的两份档案</translation>
    </message>
    <message>
        <source>Find the other record: name, ID, village or phone</source>
        <translation>查找另一份档案：姓名、编号、村庄或电话</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Sex</source>
        <translation>性别</translation>
    </message>
    <message>
        <source>Age</source>
        <translation>年龄</translation>
    </message>
    <message>
        <source>Born</source>
        <translation>出生</translation>
    </message>
    <message>
        <source>Village</source>
        <translation>村庄</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Caregiver</source>
        <translation>陪同/监护人</translation>
    </message>
    <message>
        <source>Encounters</source>
        <translation>就诊</translation>
    </message>
    <message>
        <source>ID</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>Kept</source>
        <translation>保留</translation>
    </message>
    <message>
        <source>Merged into it</source>
        <translation>并入保留档案</translation>
    </message>
    <message>
        <source>&amp;Swap: keep the other record</source>
        <translation>对调：保留另一份档案(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Merge</source>
        <translation>合并(&amp;M)</translation>
    </message>
    <message>
        <source>All encounters, allergies, medications, problems, assessments and summaries of %1 move to %2, and %1 leaves the patient list. The merge is recorded in the audit trail and can be undone from %2&apos;s chart (Unmerge…).</source>
        <translation>%1 的全部就诊、过敏、用药、问题、评估和摘要将移到 %2，%1 不再出现在患者列表中。合并会记入审计记录，可在 %2 的病历中撤销（撤销合并…）。</translation>
    </message>
    <message>
        <source>Choose the other record of this patient above.</source>
        <translation>请在上方选择此患者的另一份档案。</translation>
    </message>
    <message>
        <source>Merging records…</source>
        <translation>正在合并档案…</translation>
    </message>
</context>
<context>
    <name>ModelManagerDialog</name>
    <message>
        <source>Models</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Import file…</source>
        <translation>导入文件…</translation>
    </message>
    <message>
        <source>Import from folder…</source>
        <translation>从文件夹导入…</translation>
    </message>
    <message>
        <source>Verify</source>
        <translation>校验</translation>
    </message>
    <message>
        <source>Use this model</source>
        <translation>使用此模型</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>active</source>
        <translation>当前使用</translation>
    </message>
    <message>
        <source>known</source>
        <translation>已知</translation>
    </message>
    <message>
        <source>UNKNOWN source</source>
        <translation>来源未知</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <source>No model installed yet. The built-in model is prepared the first time it is needed; stronger models can be imported from a USB stick.</source>
        <translation>尚未安装模型。内置模型会在第一次需要时准备好；更强的模型可以从 U 盘导入。</translation>
    </message>
    <message>
        <source>Folder with a model</source>
        <translation>包含模型的文件夹</translation>
    </message>
    <message>
        <source>Model file</source>
        <translation>模型文件</translation>
    </message>
    <message>
        <source>GGUF models (*.gguf)</source>
        <translation>GGUF 模型 (*.gguf)</translation>
    </message>
    <message>
        <source>Importing model…</source>
        <translation>正在导入模型…</translation>
    </message>
    <message>
        <source>Unknown model file</source>
        <translation>未知的模型文件</translation>
    </message>
    <message>
        <source>{risk}

File: {name}
sha256: {sha}

Import it anyway?</source>
        <translation>{risk}

文件：{name}
sha256：{sha}

仍然导入？</translation>
    </message>
    <message>
        <source>Model verified</source>
        <translation>模型已校验</translation>
    </message>
    <message>
        <source>{name} is intact (sha256 matches).</source>
        <translation>{name} 完好（sha256 一致）。</translation>
    </message>
    <message>
        <source>Verifying…</source>
        <translation>正在校验…</translation>
    </message>
    <message>
        <source>Switching model…</source>
        <translation>正在切换模型…</translation>
    </message>
    <message>
        <source>Remove model</source>
        <translation>删除模型</translation>
    </message>
    <message>
        <source>Delete {name} ({size} MB) from this laptop?</source>
        <translation>从这台电脑删除 {name}（{size} MB）？</translation>
    </message>
    <message>
        <source>Removing model…</source>
        <translation>正在删除模型…</translation>
    </message>
</context>
<context>
    <name>ModelStatusWidget</name>
    <message>
        <source>Model: {name} · refused: the file changed</source>
        <translation>模型：{name} · 已拒绝：文件已被更改</translation>
    </message>
    <message>
        <source>Model: none yet</source>
        <translation>模型：尚无</translation>
    </message>
    <message>
        <source>The built-in model is prepared when it is first needed.</source>
        <translation>内置模型在首次需要时准备。</translation>
    </message>
    <message>
        <source>loaded</source>
        <translation>已加载</translation>
    </message>
    <message>
        <source>not loaded</source>
        <translation>未加载</translation>
    </message>
    <message>
        <source> (model process {pid})</source>
        <translation>（模型进程 {pid}）</translation>
    </message>
    <message>
        <source>Model: {name} · {state}</source>
        <translation>模型：{name} · {state}</translation>
    </message>
    <message>
        <source>Model: …</source>
        <translation>模型：…</translation>
    </message>
    <message>
        <source>Re-import…</source>
        <translation>重新导入…</translation>
    </message>
    <message>
        <source>Remove the changed model file and import it again</source>
        <translation>删除已被改动的模型文件并重新导入</translation>
    </message>
    <message>
        <source>Model: status unavailable</source>
        <translation>模型：状态不可用</translation>
    </message>
</context>
<context>
    <name>NewPassphraseFields</name>
    <message>
        <source>&amp;New passphrase:</source>
        <translation>新口令(&amp;N)：</translation>
    </message>
    <message>
        <source>Con&amp;firm passphrase:</source>
        <translation>确认口令(&amp;F)：</translation>
    </message>
    <message>
        <source>The passphrase needs at least %1 characters.</source>
        <translation>口令至少需要 %1 个字符。</translation>
    </message>
    <message>
        <source>The passphrase is too easy to guess.</source>
        <translation>口令太容易被猜到。</translation>
    </message>
    <message>
        <source>The two passphrases differ.</source>
        <translation>两次输入的口令不一致。</translation>
    </message>
    <message>
        <source>Strength: %1. %2</source>
        <translation>强度：%1。%2</translation>
    </message>
    <message>
        <source>Passphrases match.</source>
        <translation>口令一致。</translation>
    </message>
    <message>
        <source>Passphrases differ.</source>
        <translation>口令不一致。</translation>
    </message>
</context>
<context>
    <name>OrderRoute</name>
    <message>
        <source>oral</source>
        <translation>口服</translation>
    </message>
    <message>
        <source>iv</source>
        <translation>静脉注射</translation>
    </message>
    <message>
        <source>im</source>
        <translation>肌内注射</translation>
    </message>
    <message>
        <source>sc</source>
        <translation>皮下注射</translation>
    </message>
    <message>
        <source>rectal</source>
        <translation>直肠给药</translation>
    </message>
    <message>
        <source>inhaled</source>
        <translation>吸入</translation>
    </message>
    <message>
        <source>topical</source>
        <translation>外用</translation>
    </message>
    <message>
        <source>vaginal</source>
        <translation>阴道给药</translation>
    </message>
    <message>
        <source>sublingual</source>
        <translation>舌下含服</translation>
    </message>
    <message>
        <source>eye</source>
        <translation>眼用</translation>
    </message>
    <message>
        <source>ear</source>
        <translation>耳用</translation>
    </message>
</context>
<context>
    <name>OrdersPanel</name>
    <message>
        <source>Medicine: name, brand or 中文名 - Enter</source>
        <translation>药品：通用名、商品名或中文名 - 回车</translation>
    </message>
    <message>
        <source>New medicine</source>
        <translation>新开药</translation>
    </message>
    <message>
        <source>Renew: continue unchanged</source>
        <translation>续用：原样继续</translation>
    </message>
    <message>
        <source>Revise: continue, changed</source>
        <translation>调整：继续使用，已改剂量</translation>
    </message>
    <message>
        <source>A renewal or revision replaces the current medication when the note is signed; it is no duplicate of it</source>
        <translation>续用或调整在签署病历时替换当前用药，不算重复用药</translation>
    </message>
    <message>
        <source>Current medications on the chart: Enter or Renew orders it again</source>
        <translation>病历中的当前用药：按回车或“续用”再次开具</translation>
    </message>
    <message>
        <source>Rene&amp;w</source>
        <translation>续用(&amp;W)</translation>
    </message>
    <message>
        <source>Order the selected current medication again, from its charted dose</source>
        <translation>按病历记录的剂量再次开具所选的当前用药</translation>
    </message>
    <message>
        <source>Renew all</source>
        <translation>全部续用</translation>
    </message>
    <message>
        <source>Order every current medication again, from its charted dose</source>
        <translation>按病历记录的剂量再次开具全部当前用药</translation>
    </message>
    <message>
        <source>Add order</source>
        <translation>添加医嘱</translation>
    </message>
    <message>
        <source>Medicine</source>
        <translation>药品</translation>
    </message>
    <message>
        <source>Dose</source>
        <translation>剂量</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>单位</translation>
    </message>
    <message>
        <source>Route</source>
        <translation>途径</translation>
    </message>
    <message>
        <source>Times/day</source>
        <translation>每日次数</translation>
    </message>
    <message>
        <source>Days</source>
        <translation>天数</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Remove order</source>
        <translation>删除医嘱</translation>
    </message>
    <message>
        <source>&amp;Override alert…</source>
        <translation>越过警示(&amp;O)…</translation>
    </message>
    <message>
        <source>&amp;Print prescription…</source>
        <translation>打印处方(&amp;P)…</translation>
    </message>
    <message>
        <source>Prescription as P&amp;DF…</source>
        <translation>处方导出为 PDF(&amp;D)…</translation>
    </message>
    <message>
        <source>Patient reads English</source>
        <translation>患者阅读英文</translation>
    </message>
    <message>
        <source>Patient reads Chinese</source>
        <translation>患者阅读中文</translation>
    </message>
    <message>
        <source>The language of the patient&apos;s instruction sheet</source>
        <translation>患者用药说明的语言</translation>
    </message>
    <message>
        <source>&amp;Instruction sheet…</source>
        <translation>用药说明(&amp;I)…</translation>
    </message>
    <message>
        <source>Print instruction sheet…</source>
        <translation>打印用药说明…</translation>
    </message>
    <message>
        <source>Instruction sheet as PDF…</source>
        <translation>用药说明导出为 PDF…</translation>
    </message>
    <message>
        <source>times a day for</source>
        <translation>次/日，共</translation>
    </message>
    <message>
        <source>days</source>
        <translation>天</translation>
    </message>
    <message>
        <source>How often</source>
        <translation>频次</translation>
    </message>
    <message>
        <source>Current:</source>
        <translation>当前用药：</translation>
    </message>
    <message>
        <source>Alerts (Enter on a stop or warn alert to override it)</source>
        <translation>警示（在“停止”或“警告”警示上按回车可越过）</translation>
    </message>
    <message>
        <source>Not in the formulary: it cannot be ordered here. Choose a medicine from the list.</source>
        <translation>不在处方集中：不能在此开具。请从列表中选择药品。</translation>
    </message>
    <message>
        <source>Renewal of {0}: the charted dose cannot be read; set the dose, then Add order.</source>
        <translation>续用 {0}：无法读取病历记录的剂量；请填写剂量后再添加医嘱。</translation>
    </message>
    <message>
        <source>Renewal of {0} as charted (change the amount or frequency to revise it).</source>
        <translation>按病历记录续用 {0}（修改用量或次数即为调整）。</translation>
    </message>
    <message>
        <source>Renew these one by one (dose not readable or not in the formulary): {0}</source>
        <translation>以下药物请逐一续用（剂量无法读取或不在处方集中）：{0}</translation>
    </message>
    <message>
        <source>The dose must be more than zero.</source>
        <translation>剂量必须大于零。</translation>
    </message>
    <message>
        <source>For how many days? Set the duration.</source>
        <translation>用药几天？请填写疗程。</translation>
    </message>
    <message>
        <source>An override needs a reason: pick one or type it.</source>
        <translation>越过警示需要理由：请选择或填写。</translation>
    </message>
    <message>
        <source>Signed: the orders can no longer be changed.</source>
        <translation>已签署：医嘱不能再修改。</translation>
    </message>
    <message>
        <source>Orders saved with the encounter.</source>
        <translation>医嘱已随本次就诊保存。</translation>
    </message>
    <message>
        <source>Not saved: {0}</source>
        <translation>未保存：{0}</translation>
    </message>
    <message>
        <source>No instruction sheet: {0}</source>
        <translation>无法生成用药说明：{0}</translation>
    </message>
    <message>
        <source>Nothing to print until the orders are saved.</source>
        <translation>医嘱保存后才能打印。</translation>
    </message>
    <message>
        <source>Not allowed</source>
        <translation>不允许</translation>
    </message>
    <message>
        <source>Your role may not print or export patient records.</source>
        <translation>您的角色不能打印或导出患者记录。</translation>
    </message>
    <message>
        <source>en</source>
        <comment>language code of this translation</comment>
        <translation>zh</translation>
    </message>
    <message>
        <source>Saving the orders…</source>
        <translation>正在保存医嘱…</translation>
    </message>
    <message>
        <source>renew</source>
        <translation>续用</translation>
    </message>
    <message>
        <source>revise</source>
        <translation>调整</translation>
    </message>
    <message>
        <source>new</source>
        <translation>新开</translation>
    </message>
    <message>
        <source>overridden: {0}</source>
        <translation>已越过：{0}</translation>
    </message>
    <message>
        <source>Decision support only; the prescriber decides.</source>
        <translation>仅供决策支持；由开方者决定。</translation>
    </message>
    <message>
        <source>Order {0}</source>
        <translation>医嘱 {0}</translation>
    </message>
    <message>
        <source>Patient</source>
        <translation>患者</translation>
    </message>
</context>
<context>
    <name>OverrideDialog</name>
    <message>
        <source>Override alert</source>
        <translation>越过警示</translation>
    </message>
    <message>
        <source>Choose a reason…</source>
        <translation>选择理由…</translation>
    </message>
    <message>
        <source>Other (type it below)</source>
        <translation>其他（在下方填写）</translation>
    </message>
    <message>
        <source>Reason in your words (required for Other)</source>
        <translation>用您的话写理由（选“其他”时必填）</translation>
    </message>
    <message>
        <source>Override</source>
        <translation>越过</translation>
    </message>
    <message>
        <source>&amp;Reason</source>
        <translation>理由(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Details</source>
        <translation>详情(&amp;D)</translation>
    </message>
    <message>
        <source>An override needs a reason: pick one or type it.</source>
        <translation>越过警示需要理由：请选择或填写。</translation>
    </message>
</context>
<context>
    <name>PassphraseStrength</name>
    <message>
        <source>very weak</source>
        <translation>非常弱</translation>
    </message>
    <message>
        <source>weak</source>
        <translation>弱</translation>
    </message>
    <message>
        <source>fair</source>
        <translation>一般</translation>
    </message>
    <message>
        <source>good</source>
        <translation>良好</translation>
    </message>
    <message>
        <source>strong</source>
        <translation>强</translation>
    </message>
    <message>
        <source>Type a passphrase.</source>
        <translation>请输入口令。</translation>
    </message>
    <message>
        <source>This is a very common password.</source>
        <translation>这是一个非常常见的密码。</translation>
    </message>
    <message>
        <source>Avoid runs like 1234 or abcd.</source>
        <translation>避免使用 1234 或 abcd 这样的连续字符。</translation>
    </message>
    <message>
        <source>Use at least 12 characters; several words are easy to remember.</source>
        <translation>至少使用 12 个字符；几个词组合起来容易记住。</translation>
    </message>
    <message>
        <source>Add more words or mix in digits and symbols.</source>
        <translation>再加几个词，或混入数字和符号。</translation>
    </message>
</context>
<context>
    <name>PatientAlertBanner</name>
    <message>
        <source>Ac&amp;knowledge</source>
        <translation>确认(&amp;K)</translation>
    </message>
    <message>
        <source>Surveillance alert — this patient is one of the cases:</source>
        <translation>监测预警 — 该患者是病例之一：</translation>
    </message>
</context>
<context>
    <name>PatientChart</name>
    <message>
        <source>&amp;Edit details…</source>
        <translation>编辑资料(&amp;E)…</translation>
    </message>
    <message>
        <source>Enc&amp;ounters</source>
        <translation>就诊(&amp;O)</translation>
    </message>
    <message>
        <source>A&amp;llergies</source>
        <translation>过敏(&amp;L)</translation>
    </message>
    <message>
        <source>Me&amp;dications</source>
        <translation>用药(&amp;D)</translation>
    </message>
    <message>
        <source>Pro&amp;blems</source>
        <translation>问题列表(&amp;B)</translation>
    </message>
    <message>
        <source>&amp;Growth</source>
        <translation>生长(&amp;G)</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Author</source>
        <translation>记录人</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>病历记录</translation>
    </message>
    <message>
        <source>&amp;New encounter</source>
        <translation>新建就诊(&amp;N)</translation>
    </message>
    <message>
        <source>Start a new encounter (Ctrl+E)</source>
        <translation>开始新的就诊（Ctrl+E）</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>打开</translation>
    </message>
    <message>
        <source>Opening chart…</source>
        <translation>正在打开病历…</translation>
    </message>
    <message>
        <source>born %1</source>
        <translation>出生于 %1</translation>
    </message>
    <message>
        <source>ID %1</source>
        <translation>编号 %1</translation>
    </message>
    <message>
        <source>Caregiver: %1</source>
        <translation>陪同/监护人：%1</translation>
    </message>
    <message>
        <source>Also changed on %1 by %2: %3 “%4” (kept in the sync history).</source>
        <translation>%2（%1）同时修改了%3：“%4”（保留在同步历史中）。</translation>
    </message>
    <message>
        <source>… and %1 more (hover to see all).</source>
        <translation>……另有 %1 条（鼠标悬停查看全部）。</translation>
    </message>
    <message>
        <source>note of %1</source>
        <translation>%1 的病历记录</translation>
    </message>
    <message>
        <source>allergy %1</source>
        <translation>过敏 %1</translation>
    </message>
    <message>
        <source>medication %1</source>
        <translation>用药 %1</translation>
    </message>
    <message>
        <source>problem %1</source>
        <translation>问题 %1</translation>
    </message>
    <message>
        <source>assessment %1</source>
        <translation>评估 %1</translation>
    </message>
    <message>
        <source>summary %1</source>
        <translation>摘要 %1</translation>
    </message>
    <message>
        <source>follow-up %1</source>
        <translation>随访 %1</translation>
    </message>
    <message>
        <source>name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>village</source>
        <translation>村庄</translation>
    </message>
    <message>
        <source>phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>sex</source>
        <translation>性别</translation>
    </message>
    <message>
        <source>year of birth</source>
        <translation>出生年份</translation>
    </message>
    <message>
        <source>date of birth</source>
        <translation>出生日期</translation>
    </message>
    <message>
        <source>caregiver</source>
        <translation>照护人</translation>
    </message>
    <message>
        <source>text</source>
        <translation>正文</translation>
    </message>
    <message>
        <source>signed</source>
        <translation>已签名</translation>
    </message>
    <message>
        <source>draft</source>
        <translation>草稿</translation>
    </message>
    <message>
        <source> + amendments: %1</source>
        <translation> + 修订：%1</translation>
    </message>
    <message>
        <source>damaged</source>
        <translation>已损坏</translation>
    </message>
    <message>
        <source>Starting encounter…</source>
        <translation>正在新建就诊…</translation>
    </message>
</context>
<context>
    <name>PatientDialog</name>
    <message>
        <source>Edit patient</source>
        <translation>编辑患者</translation>
    </message>
    <message>
        <source>Register patient</source>
        <translation>登记患者</translation>
    </message>
    <message>
        <source>Female</source>
        <translation>女</translation>
    </message>
    <message>
        <source>Male</source>
        <translation>男</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>请选择…</translation>
    </message>
    <message>
        <source>Date of birth</source>
        <translation>出生日期</translation>
    </message>
    <message>
        <source>Year of birth</source>
        <translation>出生年份</translation>
    </message>
    <message>
        <source>Age in years (estimated)</source>
        <translation>年龄（估计，岁）</translation>
    </message>
    <message>
        <source>Not known</source>
        <translation>不详</translation>
    </message>
    <message>
        <source> years</source>
        <translation> 岁</translation>
    </message>
    <message>
        <source>Age unknown</source>
        <translation>年龄不详</translation>
    </message>
    <message>
        <source>mother</source>
        <translation>母亲</translation>
    </message>
    <message>
        <source>father</source>
        <translation>父亲</translation>
    </message>
    <message>
        <source>grandmother</source>
        <translation>祖母/外祖母</translation>
    </message>
    <message>
        <source>grandfather</source>
        <translation>祖父/外祖父</translation>
    </message>
    <message>
        <source>sister</source>
        <translation>姐妹</translation>
    </message>
    <message>
        <source>brother</source>
        <translation>兄弟</translation>
    </message>
    <message>
        <source>aunt</source>
        <translation>姑姑/阿姨</translation>
    </message>
    <message>
        <source>uncle</source>
        <translation>叔叔/舅舅</translation>
    </message>
    <message>
        <source>guardian</source>
        <translation>监护人</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>姓名(&amp;N)：</translation>
    </message>
    <message>
        <source>&amp;Sex:</source>
        <translation>性别(&amp;S)：</translation>
    </message>
    <message>
        <source>&amp;Birth:</source>
        <translation>出生(&amp;B)：</translation>
    </message>
    <message>
        <source>&amp;Village:</source>
        <translation>村庄(&amp;V)：</translation>
    </message>
    <message>
        <source>&amp;Phone:</source>
        <translation>电话(&amp;P)：</translation>
    </message>
    <message>
        <source>Caregiver (for a child)</source>
        <translation>陪同/监护人（儿童）</translation>
    </message>
    <message>
        <source>Na&amp;me:</source>
        <translation>姓名(&amp;M)：</translation>
    </message>
    <message>
        <source>&amp;Relation:</source>
        <translation>关系(&amp;R)：</translation>
    </message>
    <message>
        <source>P&amp;hone:</source>
        <translation>电话(&amp;H)：</translation>
    </message>
    <message>
        <source>Enter the patient&apos;s name.</source>
        <translation>请输入患者姓名。</translation>
    </message>
    <message>
        <source>Choose the patient&apos;s sex.</source>
        <translation>请选择患者性别。</translation>
    </message>
    <message>
        <source>Enter the age (an estimate is fine) or choose another birth option.</source>
        <translation>请输入年龄（估计即可），或选择其他出生信息方式。</translation>
    </message>
    <message>
        <source>The phone number may contain digits, spaces, +, - and brackets.</source>
        <translation>电话号码只能包含数字、空格、+、- 和括号。</translation>
    </message>
</context>
<context>
    <name>PatientListModel</name>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Sex</source>
        <translation>性别</translation>
    </message>
    <message>
        <source>Age</source>
        <translation>年龄</translation>
    </message>
    <message>
        <source>Village</source>
        <translation>村庄</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
</context>
<context>
    <name>PatientListPanel</name>
    <message>
        <source>Search name, village, phone or id  (Ctrl+F)</source>
        <translation>搜索姓名、村庄、电话或编号（Ctrl+F）</translation>
    </message>
    <message>
        <source>&amp;Register patient…</source>
        <translation>登记患者(&amp;R)…</translation>
    </message>
    <message>
        <source>First %1 shown; type to narrow the search</source>
        <translation>仅显示前 %1 个；请输入更多内容缩小范围</translation>
    </message>
    <message>
        <source>Patients: %1</source>
        <translation>患者：%1</translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation>正在搜索…</translation>
    </message>
</context>
<context>
    <name>ProblemOffers</name>
    <message>
        <source>Accepted long-term diagnoses not on the problem list:</source>
        <translation>已采纳但未列入问题列表的慢性诊断：</translation>
    </message>
    <message>
        <source>Add to problem list</source>
        <translation>加入问题列表</translation>
    </message>
    <message>
        <source>Add %1 to the problem list</source>
        <translation>将 %1 加入问题列表</translation>
    </message>
</context>
<context>
    <name>RecoveryDialog</name>
    <message>
        <source>Reset a passphrase with the recovery key</source>
        <translation>用恢复密钥重设口令</translation>
    </message>
    <message>
        <source>Enter the recovery key written down when the vault was created, the user whose passphrase is lost, and a new passphrase for that user.</source>
        <translation>请输入创建数据库时抄下的恢复密钥、忘记口令的用户名，以及该用户的新口令。</translation>
    </message>
    <message>
        <source>Recovery &amp;key:</source>
        <translation>恢复密钥(&amp;K)：</translation>
    </message>
    <message>
        <source>&amp;User name:</source>
        <translation>用户名(&amp;U)：</translation>
    </message>
    <message>
        <source>&amp;New passphrase:</source>
        <translation>新口令(&amp;N)：</translation>
    </message>
    <message>
        <source>Con&amp;firm passphrase:</source>
        <translation>确认口令(&amp;F)：</translation>
    </message>
    <message>
        <source>&amp;Reset and unlock</source>
        <translation>重设并解锁(&amp;R)</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Enter the recovery key.</source>
        <translation>请输入恢复密钥。</translation>
    </message>
    <message>
        <source>Enter the user name.</source>
        <translation>请输入用户名。</translation>
    </message>
    <message>
        <source>Choose a longer passphrase (several words work well).</source>
        <translation>请选择更长的口令（几个词组合效果很好）。</translation>
    </message>
    <message>
        <source>The two passphrases differ.</source>
        <translation>两次输入的口令不一致。</translation>
    </message>
    <message>
        <source>Strength: %1</source>
        <translation>强度：%1</translation>
    </message>
    <message>
        <source>Recovering…</source>
        <translation>正在恢复…</translation>
    </message>
    <message>
        <source>The recovery key or the user name is wrong.</source>
        <translation>恢复密钥或用户名不正确。</translation>
    </message>
</context>
<context>
    <name>ReencryptionProgress</name>
    <message>
        <source>Records written before the last key change are being re-encrypted under the new key. Lantern stays usable; if it is closed, this continues at the next unlock.</source>
        <translation>上次更换密钥之前写入的记录正在用新密钥重新加密。Lantern 可照常使用；如果关闭，将在下次解锁时继续。</translation>
    </message>
    <message>
        <source>Re-encrypting records…</source>
        <translation>正在重新加密记录…</translation>
    </message>
    <message>
        <source>Indexing diagnoses for reports… %1%</source>
        <translation>正在为报表索引诊断… %1%</translation>
    </message>
    <message>
        <source>Re-encrypting records… %1%</source>
        <translation>正在重新加密记录… %1%</translation>
    </message>
</context>
<context>
    <name>ReportWindow</name>
    <message>
        <source>Epidemic curve: %1 (new cases by ISO week)</source>
        <translation>流行曲线：%1（按 ISO 周统计的新病例）</translation>
    </message>
    <message>
        <source>ISO week</source>
        <translation>ISO 周</translation>
    </message>
    <message>
        <source>New cases</source>
        <translation>新病例</translation>
    </message>
    <message>
        <source>Weeks of the month</source>
        <translation>本月各周</translation>
    </message>
    <message>
        <source>Weeks before</source>
        <translation>之前各周</translation>
    </message>
    <message>
        <source>Top 10 diagnoses of the month (new cases)</source>
        <translation>本月前 10 位诊断（新病例）</translation>
    </message>
    <message>
        <source>New cases by age and sex</source>
        <translation>按年龄和性别统计的新病例</translation>
    </message>
    <message>
        <source>Male</source>
        <translation>男</translation>
    </message>
    <message>
        <source>Female</source>
        <translation>女</translation>
    </message>
    <message>
        <source>&lt; 5 years</source>
        <translation>&lt; 5 岁</translation>
    </message>
    <message>
        <source>5–14 years</source>
        <translation>5–14 岁</translation>
    </message>
    <message>
        <source>≥ 15 years</source>
        <translation>≥ 15 岁</translation>
    </message>
    <message>
        <source>No confirmed diagnoses in this month</source>
        <translation>本月没有已确认的诊断</translation>
    </message>
    <message>
        <source>Villages</source>
        <translation>村庄</translation>
    </message>
    <message>
        <source>Village</source>
        <translation>村庄</translation>
    </message>
    <message>
        <source>Notifiable</source>
        <translation>法定报告</translation>
    </message>
    <message>
        <source>Alerts</source>
        <translation>预警</translation>
    </message>
    <message>
        <source>Monthly morbidity report: new cases by condition</source>
        <translation>月度发病报告：按疾病统计的新病例</translation>
    </message>
    <message>
        <source>Condition</source>
        <translation>疾病</translation>
    </message>
    <message>
        <source>ICD-10</source>
        <translation>ICD-10</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>合计</translation>
    </message>
    <message>
        <source>Page %1 of %2</source>
        <translation>第 %1 页，共 %2 页</translation>
    </message>
    <message>
        <source>single case</source>
        <translation>单个病例</translation>
    </message>
    <message>
        <source>weekly threshold</source>
        <translation>超过周阈值</translation>
    </message>
    <message>
        <source>village cluster</source>
        <translation>村庄聚集</translation>
    </message>
    <message>
        <source>above the usual</source>
        <translation>高于往年同期</translation>
    </message>
    <message>
        <source>Reports</source>
        <translation>报告</translation>
    </message>
    <message>
        <source>&amp;Month:</source>
        <translation>月份(&amp;M)：</translation>
    </message>
    <message>
        <source>&amp;Disease:</source>
        <translation>疾病(&amp;D)：</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>刷新(&amp;R)</translation>
    </message>
    <message>
        <source>Export &amp;PDF…</source>
        <translation>导出 PDF(&amp;P)…</translation>
    </message>
    <message>
        <source>Export &amp;CSV…</source>
        <translation>导出 CSV(&amp;C)…</translation>
    </message>
    <message>
        <source>Export D&amp;HIS2…</source>
        <translation>导出 DHIS2(&amp;H)…</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Villages (orange: an alert names the village)</source>
        <translation>村庄（橙色：有预警涉及该村）</translation>
    </message>
    <message>
        <source>Computing the report for %1…</source>
        <translation>正在生成 %1 的报告…</translation>
    </message>
    <message>
        <source>Computing the report…</source>
        <translation>正在生成报告…</translation>
    </message>
    <message>
        <source>%1 · %2: %3 encounters, %4 without a diagnosis, %5 new cases, %6 alert(s).</source>
        <translation>%1 · %2：就诊 %3 次，无诊断 %4 次，新病例 %5 例，预警 %6 条。</translation>
    </message>
    <message>
        <source>%1 referred (signed referral letters), %2 death(s) recorded.</source>
        <translation>转诊 %1 人次（已签署转诊信），记录死亡 %2 例。</translation>
    </message>
    <message>
        <source>%1 new case(s) have no age or sex recorded: counted in the totals, not in the age–sex chart.</source>
        <translation>%1 例新病例未记录年龄或性别：计入合计，不计入年龄–性别图。</translation>
    </message>
    <message>
        <source>%1 record(s) could not be read: the counts may be low (lantern vault verify).</source>
        <translation>%1 条记录无法读取：计数可能偏低（lantern vault verify）。</translation>
    </message>
    <message>
        <source>(not recorded)</source>
        <translation>（未记录）</translation>
    </message>
    <message>
        <source>Drawing the charts…</source>
        <translation>正在绘制图表…</translation>
    </message>
    <message>
        <source>Monthly report %1 — %2</source>
        <translation>月度报告 %1 — %2</translation>
    </message>
    <message>
        <source>Writing the PDF…</source>
        <translation>正在写入 PDF…</translation>
    </message>
    <message>
        <source>Export the report as PDF</source>
        <translation>将报告导出为 PDF</translation>
    </message>
    <message>
        <source>PDF (*.pdf)</source>
        <translation>PDF (*.pdf)</translation>
    </message>
    <message>
        <source>Export the report as CSV</source>
        <translation>将报告导出为 CSV</translation>
    </message>
    <message>
        <source>CSV (*.csv)</source>
        <translation>CSV (*.csv)</translation>
    </message>
    <message>
        <source>The district&apos;s DHIS2 mapping</source>
        <translation>区级 DHIS2 映射文件</translation>
    </message>
    <message>
        <source>DHIS2 mapping (*.toml)</source>
        <translation>DHIS2 映射 (*.toml)</translation>
    </message>
    <message>
        <source>DHIS2 export</source>
        <translation>DHIS2 导出</translation>
    </message>
    <message>
        <source>The mapping has no data element for: %1. Export the other conditions and leave these out?</source>
        <translation>映射文件中没有以下疾病的数据元：%1。是否导出其他疾病并略去这些？</translation>
    </message>
    <message>
        <source>Export for DHIS2</source>
        <translation>导出到 DHIS2</translation>
    </message>
    <message>
        <source>DHIS2 dataValueSets (*.json)</source>
        <translation>DHIS2 dataValueSets (*.json)</translation>
    </message>
</context>
<context>
    <name>ResumeKeeper</name>
    <message>
        <source>Locking…</source>
        <translation>正在锁定…</translation>
    </message>
    <message>
        <source>Returning to your work…</source>
        <translation>正在回到您离开时的工作…</translation>
    </message>
</context>
<context>
    <name>ScheduleFollowupDialog</name>
    <message>
        <source>Schedule follow-up</source>
        <translation>安排随访</translation>
    </message>
    <message>
        <source>e.g. review the cough, TB drugs refill</source>
        <translation>例如：复查咳嗽、结核药物领取</translation>
    </message>
    <message>
        <source>&amp;Schedule</source>
        <translation>安排(&amp;S)</translation>
    </message>
    <message>
        <source>The follow-up date %1 is before the visit (%2). Choose a later date.</source>
        <translation>随访日期 %1 早于就诊日期（%2）。请选择更晚的日期。</translation>
    </message>
    <message>
        <source>The follow-up date %1 is before today (%2). Choose today or a later date.</source>
        <translation>随访日期 %1 早于今天（%2）。请选择今天或以后的日期。</translation>
    </message>
    <message>
        <source>The follow-up date %1 is more than two years after the visit. Check the year.</source>
        <translation>随访日期 %1 距就诊日期超过两年。请检查年份。</translation>
    </message>
</context>
<context>
    <name>SessionBridge</name>
    <message>
        <source>Locking…</source>
        <translation>正在锁定…</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source> min</source>
        <translation> 分钟</translation>
    </message>
    <message>
        <source>&amp;Lock after inactivity:</source>
        <translation>无操作后自动锁定(&amp;L)：</translation>
    </message>
    <message>
        <source>System language</source>
        <translation>跟随系统语言</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>界面语言(&amp;L)：</translation>
    </message>
    <message>
        <source>The window is rebuilt in the new language when you press OK; open work (the note, the assessment, a summary draft) stays as it is.</source>
        <translation>按“确定”后，窗口将以新语言重新建立；正在进行的工作（病历记录、评估结果、摘要草稿）保持不变。</translation>
    </message>
    <message>
        <source>WHO AFRO IDSR (3rd edition, 2019)</source>
        <translation>WHO 非洲区 IDSR（第3版，2019）</translation>
    </message>
    <message>
        <source>China: statutory notifiable diseases (法定报告传染病)</source>
        <translation>中国：法定报告传染病</translation>
    </message>
    <message>
        <source>&amp;Notifiable diseases:</source>
        <translation>法定报告疾病(&amp;N)：</translation>
    </message>
    <message>
        <source>The vault also locks with Ctrl+L and when Lantern closes.</source>
        <translation>按 Ctrl+L 或关闭 Lantern 时也会锁定数据库。</translation>
    </message>
    <message>
        <source>&amp;General</source>
        <translation>常规(&amp;G)</translation>
    </message>
    <message>
        <source>Referral &amp;letters</source>
        <translation>转诊单(&amp;L)</translation>
    </message>
</context>
<context>
    <name>StreamingPanel</name>
    <message>
        <source>The model&apos;s answer appears here.</source>
        <translation>模型的回答显示在这里。</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Stopped. </source>
        <translation>已停止。</translation>
    </message>
    <message>
        <source>The model could not finish: </source>
        <translation>模型未能完成：</translation>
    </message>
    <message>
        <source>Stopping…</source>
        <translation>正在停止…</translation>
    </message>
    <message>
        <source>{0:.1f} s</source>
        <translation>{0:.1f} 秒</translation>
    </message>
    <message>
        <source>{0} tokens</source>
        <translation>{0} 个词元</translation>
    </message>
    <message>
        <source>{0:.1f} tokens/s</source>
        <translation>{0:.1f} 词元/秒</translation>
    </message>
    <message>
        <source>waiting for the model…</source>
        <translation>正在等待模型…</translation>
    </message>
</context>
<context>
    <name>SummaryPanel</name>
    <message>
        <source>Note (SOAP)</source>
        <translation>病历摘要（SOAP）</translation>
    </message>
    <message>
        <source>Patient history</source>
        <translation>患者病史摘要</translation>
    </message>
    <message>
        <source>Referral letter</source>
        <translation>转诊信</translation>
    </message>
    <message>
        <source>Handover (I-PASS)</source>
        <translation>交接班（I-PASS）</translation>
    </message>
    <message>
        <source>Summarize</source>
        <translation>生成摘要</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>The summary appears here.</source>
        <translation>摘要将显示在这里。</translation>
    </message>
    <message>
        <source>Show dropped</source>
        <translation>显示已删除的句子</translation>
    </message>
    <message>
        <source>Sign</source>
        <translation>签名</translation>
    </message>
    <message>
        <source>Print…</source>
        <translation>打印…</translation>
    </message>
    <message>
        <source>Export PDF…</source>
        <translation>导出 PDF…</translation>
    </message>
    <message>
        <source>Summarizing…</source>
        <translation>正在生成摘要…</translation>
    </message>
    <message>
        <source>Structured summary shown; the model is writing…</source>
        <translation>已显示结构化摘要；模型正在撰写…</translation>
    </message>
    <message>
        <source>Stopped: the structured summary is shown.</source>
        <translation>已停止：显示结构化摘要。</translation>
    </message>
    <message numerus="yes">
        <source>%n sentence(s) dropped</source>
        <translation>
            <numerusform>已删除 %n 个句子</numerusform>
        </translation>
    </message>
    <message>
        <source>Hide dropped</source>
        <translation>隐藏已删除的句子</translation>
    </message>
    <message>
        <source>Source: «%1»</source>
        <translation>来源：«%1»</translation>
    </message>
    <message>
        <source>Draft saved %1</source>
        <translation>草稿已于 %1 保存</translation>
    </message>
    <message>
        <source>Unsigned draft (restored); edit it, then sign.</source>
        <translation>未签署的草稿（已恢复）；请修改后签署。</translation>
    </message>
    <message>
        <source>Signed.</source>
        <translation>已签名。</translation>
    </message>
    <message>
        <source>Not allowed</source>
        <translation>不允许</translation>
    </message>
    <message>
        <source>Your role may not print or export patient records.</source>
        <translation>您的角色不能打印或导出患者记录。</translation>
    </message>
</context>
<context>
    <name>SyncController</name>
    <message>
        <source>Writing the sync file…</source>
        <translation>正在写入同步文件…</translation>
    </message>
    <message>
        <source>Importing the sync file…</source>
        <translation>正在导入同步文件…</translation>
    </message>
    <message>
        <source>Wrote %1 events to %2. Import this file on the other laptop (Settings → Sync → Import a file…).</source>
        <translation>已将 %1 个事件写入 %2。请在另一台电脑上导入此文件（设置 → 同步 → 导入文件…）。</translation>
    </message>
    <message>
        <source>Imported: %1 events applied, %2 already here; %3 conflicting values kept in history.</source>
        <translation>已导入：应用 %1 个事件，%2 个本机已有；%3 个冲突值保留在历史中。</translation>
    </message>
    <message>
        <source>%1 events of a revoked laptop were left out.</source>
        <translation>已撤销设备的 %1 个事件未导入。</translation>
    </message>
    <message>
        <source>Choose this laptop&apos;s sync credentials file first (the district administrator gives one per laptop).</source>
        <translation>请先选择本机的同步凭据文件（由区级管理员为每台电脑提供一个）。</translation>
    </message>
    <message>
        <source>Syncing with the clinic&apos;s server…</source>
        <translation>正在与诊所服务器同步…</translation>
    </message>
    <message>
        <source>Sending %1 of %2 events…</source>
        <translation>正在发送事件 %1 / %2…</translation>
    </message>
    <message>
        <source>Receiving events from other laptops… %1</source>
        <translation>正在接收其他电脑的事件… %1</translation>
    </message>
    <message>
        <source>The sync stopped because the vault was locked; nothing acknowledged is lost and the next sync continues.</source>
        <translation>数据库已锁定，同步已停止；已确认的内容不会丢失，下次同步会继续。</translation>
    </message>
    <message>
        <source>Sent %1, received %2, applied %3 events; %4 conflicting values kept in history.</source>
        <translation>已发送 %1 个、接收 %2 个、应用 %3 个事件；%4 个冲突值保留在历史中。</translation>
    </message>
</context>
<context>
    <name>SyncIndicator</name>
    <message>
        <source>Syncing…</source>
        <translation>正在同步…</translation>
    </message>
    <message>
        <source>Sync: %1 pending · last %2</source>
        <translation>同步：%1 个待发送 · 上次 %2</translation>
    </message>
    <message>
        <source>Sync: %1 pending · never synced</source>
        <translation>同步：%1 个待发送 · 从未同步</translation>
    </message>
    <message>
        <source>Events written here and not yet on the clinic&apos;s server, and the last complete sync. Sync in Settings → Sync.</source>
        <translation>本机写入但尚未到达诊所服务器的事件数，以及上次完整同步的时间。在 设置 → 同步 中同步。</translation>
    </message>
    <message>
        <source>Last attempt: %1</source>
        <translation>上次尝试：%1</translation>
    </message>
</context>
<context>
    <name>SyncSettingsPage</name>
    <message>
        <source>https://sync.district.example</source>
        <translation>https://sync.district.example</translation>
    </message>
    <message>
        <source>this laptop&apos;s credentials file (.toml)</source>
        <translation>本机的凭据文件（.toml）</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>浏览(&amp;B)…</translation>
    </message>
    <message>
        <source>e.g. Triage laptop</source>
        <translation>例如：分诊电脑</translation>
    </message>
    <message>
        <source>S&amp;ync now</source>
        <translation>立即同步(&amp;Y)</translation>
    </message>
    <message>
        <source>The server keeps only encrypted events: it cannot read any record. The password stays in the credentials file (readable by you only).</source>
        <translation>服务器只保存加密的事件，无法读取任何记录。密码保存在凭据文件中（仅您本人可读）。</translation>
    </message>
    <message>
        <source>USB stick (where there is no network)</source>
        <translation>U 盘（无网络时）</translation>
    </message>
    <message>
        <source>E&amp;xport to a file…</source>
        <translation>导出到文件(&amp;X)…</translation>
    </message>
    <message>
        <source>&amp;Import a file…</source>
        <translation>导入文件(&amp;I)…</translation>
    </message>
    <message>
        <source>The file holds this vault&apos;s changes, encrypted with the clinic&apos;s key: only a laptop of this clinic can import it, and importing it twice changes nothing.</source>
        <translation>文件包含本机数据库的更改，已用诊所密钥加密：只有本诊所的电脑能导入，重复导入不会改变任何内容。</translation>
    </message>
    <message>
        <source>&amp;Server address:</source>
        <translation>服务器地址(&amp;S)：</translation>
    </message>
    <message>
        <source>&amp;Credentials file:</source>
        <translation>凭据文件(&amp;C)：</translation>
    </message>
    <message>
        <source>&amp;Device name:</source>
        <translation>设备名称(&amp;D)：</translation>
    </message>
    <message>
        <source>Last sync:</source>
        <translation>上次同步：</translation>
    </message>
    <message>
        <source>Pending events:</source>
        <translation>待发送事件：</translation>
    </message>
    <message>
        <source>S&amp;ync</source>
        <translation>同步(&amp;Y)</translation>
    </message>
    <message>
        <source>Export the changes to a file</source>
        <translation>将更改导出到文件</translation>
    </message>
    <message>
        <source>Lantern sync files (*.bundle);;All files (*)</source>
        <translation>Lantern 同步文件 (*.bundle);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Import a sync file from another laptop</source>
        <translation>导入另一台电脑的同步文件</translation>
    </message>
    <message>
        <source>Last export: %1 · last import: %2 · %3 events written here since the last export.</source>
        <translation>上次导出：%1 · 上次导入：%2 · 自上次导出以来本机写入 %3 个事件。</translation>
    </message>
    <message>
        <source>Sync credentials file</source>
        <translation>同步凭据文件</translation>
    </message>
    <message>
        <source>Credentials (*.toml);;All files (*)</source>
        <translation>凭据文件 (*.toml);;所有文件 (*)</translation>
    </message>
    <message>
        <source>(vault locked)</source>
        <translation>（数据库已锁定）</translation>
    </message>
    <message>
        <source>never</source>
        <translation>从未</translation>
    </message>
    <message>
        <source>Connecting to the server…</source>
        <translation>正在连接服务器…</translation>
    </message>
</context>
<context>
    <name>UnlockView</name>
    <message>
        <source>Lantern</source>
        <translation>Lantern</translation>
    </message>
    <message>
        <source>The vault is locked.</source>
        <translation>数据库已锁定。</translation>
    </message>
    <message>
        <source>&amp;User name:</source>
        <translation>用户名(&amp;U)：</translation>
    </message>
    <message>
        <source>P&amp;assphrase:</source>
        <translation>口令(&amp;A)：</translation>
    </message>
    <message>
        <source>Unlock</source>
        <translation>解锁</translation>
    </message>
    <message>
        <source>F&amp;orgot passphrase…</source>
        <translation>忘记口令(&amp;O)…</translation>
    </message>
    <message>
        <source>Restore from &amp;backup…</source>
        <translation>从备份恢复(&amp;B)…</translation>
    </message>
    <message>
        <source>Enter your user name and passphrase.</source>
        <translation>请输入用户名和口令。</translation>
    </message>
    <message>
        <source>Unlocking vault…</source>
        <translation>正在解锁数据库…</translation>
    </message>
    <message>
        <source>Wrong user name or passphrase. Please try again.</source>
        <translation>用户名或口令错误，请重试。</translation>
    </message>
</context>
<context>
    <name>UsersDialog</name>
    <message>
        <source>Administrator</source>
        <translation>管理员</translation>
    </message>
    <message>
        <source>Clinician</source>
        <translation>临床医生</translation>
    </message>
    <message>
        <source>Assistant</source>
        <translation>助理</translation>
    </message>
    <message>
        <source>Users</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Full name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>&amp;Add user…</source>
        <translation>添加用户(&amp;A)…</translation>
    </message>
    <message>
        <source>&amp;Deactivate</source>
        <translation>停用(&amp;D)</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>正在加载…</translation>
    </message>
    <message>
        <source>Loading users…</source>
        <translation>正在加载用户…</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>启用</translation>
    </message>
    <message>
        <source>Deactivated</source>
        <translation>已停用</translation>
    </message>
    <message>
        <source>%1 users, %2 active.</source>
        <translation>共 %1 个用户，%2 个启用。</translation>
    </message>
    <message>
        <source>Added %1.</source>
        <translation>已添加 %1。</translation>
    </message>
    <message>
        <source>Deactivate user</source>
        <translation>停用用户</translation>
    </message>
    <message>
        <source>Deactivate %1? They will no longer be able to unlock Lantern. Their notes and the audit trail are kept.</source>
        <translation>停用 %1？该用户将无法再解锁 Lantern。其病历记录和审计记录会保留。</translation>
    </message>
    <message>
        <source>Deactivating user…</source>
        <translation>正在停用用户…</translation>
    </message>
    <message>
        <source>The old recovery key could not receive the new data key, so a new recovery key was made. Write it down now; it is shown only this once:

%1</source>
        <translation>旧的恢复密钥无法接收新的数据密钥，因此已生成新的恢复密钥。请立即抄写下来；它只显示这一次：

%1</translation>
    </message>
    <message>
        <source>These accounts have not unlocked since Lantern was updated and could not receive the new key: %1. Reset their passphrases with the recovery key.</source>
        <translation>以下账户自 Lantern 更新后未曾解锁，无法接收新密钥：%1。请用恢复密钥重置他们的口令。</translation>
    </message>
    <message>
        <source>Vault key changed</source>
        <translation>保险库密钥已更换</translation>
    </message>
</context>
<context>
    <name>VitalsForm</name>
    <message>
        <source>breaths/min</source>
        <translation>次/分</translation>
    </message>
    <message>
        <source>beats/min</source>
        <translation>次/分</translation>
    </message>
    <message>
        <source>Temper&amp;ature</source>
        <translation>体温(&amp;A)</translation>
    </message>
    <message>
        <source>P&amp;ulse</source>
        <translation>脉搏(&amp;U)</translation>
    </message>
    <message>
        <source>Resp. rate</source>
        <translation>呼吸频率</translation>
    </message>
    <message>
        <source>SpO&amp;2</source>
        <translation>血氧饱和度(&amp;2)</translation>
    </message>
    <message>
        <source>BP s&amp;ystolic</source>
        <translation>收缩压(&amp;Y)</translation>
    </message>
    <message>
        <source>BP d&amp;iastolic</source>
        <translation>舒张压(&amp;I)</translation>
    </message>
    <message>
        <source>&amp;Weight</source>
        <translation>体重(&amp;W)</translation>
    </message>
    <message>
        <source>MUAC</source>
        <translation>上臂围</translation>
    </message>
    <message>
        <source>Length/height</source>
        <translation>身长/身高</translation>
    </message>
    <message>
        <source>Glucose</source>
        <translation>血糖</translation>
    </message>
    <message>
        <source>H&amp;b</source>
        <translation>血红蛋白(&amp;B)</translation>
    </message>
    <message>
        <source>%1: %2–%3 %4</source>
        <translation>%1：%2–%3 %4</translation>
    </message>
    <message>
        <source>Length (lying)</source>
        <translation>身长（卧位）</translation>
    </message>
    <message>
        <source>Height (standing)</source>
        <translation>身高（立位）</translation>
    </message>
</context>
<context>
    <name>_QuestionRow</name>
    <message>
        <source>DANGER SIGN</source>
        <translation>危险征象</translation>
    </message>
    <message>
        <source>Ask</source>
        <translation>问</translation>
    </message>
    <message>
        <source>Look</source>
        <translation>查</translation>
    </message>
    <message>
        <source>Measure</source>
        <translation>测</translation>
    </message>
    <message>
        <source>Measure…</source>
        <translation>测量…</translation>
    </message>
    <message>
        <source>Not done</source>
        <translation>未测</translation>
    </message>
    <message>
        <source>Unknown</source>
        <translation>不详</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>有</translation>
    </message>
    <message>
        <source>No</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Adds to the note: %1</source>
        <translation>写入病历记录：%1</translation>
    </message>
    <message>
        <source>Goes to the vitals field to type the value</source>
        <translation>转到生命体征栏填写数值</translation>
    </message>
    <message>
        <source>Writes nothing; not asked again in this encounter</source>
        <translation>不写入任何内容；本次就诊不再询问</translation>
    </message>
</context>
<context>
    <name>errors</name>
    <message>
        <source>Cannot unlock</source>
        <translation>无法解锁</translation>
    </message>
    <message>
        <source>Not allowed</source>
        <translation>不允许</translation>
    </message>
    <message>
        <source>Please check the input</source>
        <translation>请检查输入</translation>
    </message>
    <message>
        <source>Vault locked</source>
        <translation>数据库已锁定</translation>
    </message>
    <message>
        <source>Damaged data</source>
        <translation>数据损坏</translation>
    </message>
    <message>
        <source>Disk full</source>
        <translation>磁盘已满</translation>
    </message>
    <message>
        <source>Vault problem</source>
        <translation>数据库问题</translation>
    </message>
    <message>
        <source>Language model problem</source>
        <translation>语言模型问题</translation>
    </message>
    <message>
        <source>Not found</source>
        <translation>未找到</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>错误</translation>
    </message>
    <message>
        <source>The operation failed.</source>
        <translation>操作失败。</translation>
    </message>
    <message>
        <source>The computer ran out of memory. Close other programs and try again.</source>
        <translation>电脑内存不足。请关闭其他程序后重试。</translation>
    </message>
    <message>
        <source>A file could not be read or written ({kind}).</source>
        <translation>无法读取或写入文件（{kind}）。</translation>
    </message>
    <message>
        <source>Something unexpected went wrong ({kind}). Your saved work is safe; details were written to the log.</source>
        <translation>出现意外错误（{kind}）。已保存的工作是安全的；详细信息已写入日志。</translation>
    </message>
</context>
<context>
    <name>formatting</name>
    <message>
        <source>%1 day</source>
        <translation>%1天</translation>
    </message>
    <message>
        <source>%1 days</source>
        <translation>%1天</translation>
    </message>
    <message>
        <source>%1 month</source>
        <translation>%1个月</translation>
    </message>
    <message>
        <source>%1 months</source>
        <translation>%1个月</translation>
    </message>
    <message>
        <source>%1 year</source>
        <translation>%1岁</translation>
    </message>
    <message>
        <source>%1 years</source>
        <translation>%1岁</translation>
    </message>
    <message>
        <source>about %1 year</source>
        <translation>约%1岁</translation>
    </message>
    <message>
        <source>about %1 years</source>
        <translation>约%1岁</translation>
    </message>
    <message>
        <source>age unknown</source>
        <translation>年龄不详</translation>
    </message>
    <message>
        <source>Male</source>
        <translation>男</translation>
    </message>
    <message>
        <source>Female</source>
        <translation>女</translation>
    </message>
    <message>
        <source>Unknown</source>
        <translation>不详</translation>
    </message>
</context>
</TS>
