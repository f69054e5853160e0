<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AccountsPage</name>
    <message>
        <source>Accounts</source>
        <translation>账号</translation>
    </message>
    <message>
        <source>Your official ChatGPT accounts, used in their order: when one reaches its usage limit, or nearly, the next one serves, and Codex&apos;s conversation goes on.</source>
        <translation>你的官方 ChatGPT 账号，按顺序使用：一个账号达到或接近用量上限时，由下一个接手，Codex 的对话照常继续。</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Import a sign-in</source>
        <translation>导入登录</translation>
    </message>
    <message>
        <source>Codex keeps it in auth.json after `codex login`. The gateway then refreshes it by itself; refresh tokens rotate, so Codex&apos;s own copy stops working: point Codex at the gateway on the Clients page.</source>
        <translation>`codex login` 之后 Codex 把登录保存在 auth.json 里。导入后由网关自行刷新；刷新令牌会轮换，Codex 自己那份随即失效：请在“客户端”页把 Codex 指向网关。</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>导入</translation>
    </message>
    <message>
        <source>No accounts yet</source>
        <translation>还没有账号</translation>
    </message>
    <message>
        <source>Import ~/.codex/auth.json to use your ChatGPT plan through the gateway.</source>
        <translation>导入 ~/.codex/auth.json，即可通过网关使用你的 ChatGPT 套餐。</translation>
    </message>
    <message>
        <source>%1 · plan %2 · pool %3</source>
        <translation>%1 · 套餐 %2 · 账号池 %3</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <source>ready</source>
        <translation>可用</translation>
    </message>
    <message>
        <source>nearly spent</source>
        <translation>即将用尽</translation>
    </message>
    <message>
        <source>limit reached</source>
        <translation>已达上限</translation>
    </message>
    <message>
        <source>sign in again</source>
        <translation>需重新登录</translation>
    </message>
    <message>
        <source>5-hour window</source>
        <translation>5 小时窗口</translation>
    </message>
    <message>
        <source>Weekly window</source>
        <translation>每周窗口</translation>
    </message>
    <message>
        <source>not reported yet</source>
        <translation>尚未上报</translation>
    </message>
    <message>
        <source>%1% used</source>
        <translation>已用 %1%</translation>
    </message>
    <message>
        <source>quota told %1</source>
        <translation>额度更新于 %1</translation>
    </message>
    <message>
        <source>Refresh sign-in</source>
        <translation>刷新登录</translation>
    </message>
    <message>
        <source>Write auth.json</source>
        <translation>写出 auth.json</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>Switch %1 back to official?</source>
        <translation>把 %1 切回官方？</translation>
    </message>
    <message>
        <source>Writes the sign-in the gateway holds now to %1 (the old file is kept as .bak), so Codex can talk to ChatGPT by itself. Remove the account from the gateway afterwards: two copies would spend each other&apos;s refresh tokens.</source>
        <translation>把网关当前持有的登录写入 %1（旧文件保留为 .bak），Codex 即可自行连接 ChatGPT。之后请从网关移除该账号：两份副本会互相耗掉对方的刷新令牌。</translation>
    </message>
    <message>
        <source>Remove %1?</source>
        <translation>移除 %1？</translation>
    </message>
    <message>
        <source>The gateway stops using this account and forgets its tokens. Requests go to the pool&apos;s other accounts, or the next provider.</source>
        <translation>网关不再使用此账号并删除其令牌。请求改由账号池中的其他账号或下一个服务商处理。</translation>
    </message>
    <message>
        <source>Use first</source>
        <translation>设为首选</translation>
    </message>
    <message>
        <source>Sign in with ChatGPT</source>
        <translation>使用 ChatGPT 登录</translation>
    </message>
    <message>
        <source>Open the address below in any browser, sign in, and enter the code. It expires in 15 minutes; never share it.</source>
        <translation>在任意浏览器中打开下面的地址，登录并输入验证码。验证码 15 分钟后失效，切勿分享给他人。</translation>
    </message>
    <message>
        <source>Signs an account in for the gateway alone, as Codex does with a device code; Codex&apos;s own sign-in is left as it is.</source>
        <translation>像 Codex 的设备码登录一样，为网关单独登录一个账号；Codex 自己的登录保持不变。</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>打开</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Sign in…</source>
        <translation>登录…</translation>
    </message>
</context>
<context>
    <name>agentgate::desktop::Backend</name>
    <message>
        <source>%1: the gateway is not running; start it first</source>
        <translation>%1：网关未运行，请先启动</translation>
    </message>
    <message>
        <source>%1: there is no token yet; start the gateway once</source>
        <translation>%1：尚无令牌，请先启动一次网关</translation>
    </message>
    <message>
        <source>%1: %2 (nothing was changed)</source>
        <translation>%1：%2（未做任何更改）</translation>
    </message>
    <message>
        <source>%1 points at %2</source>
        <translation>%1 指向 %2</translation>
    </message>
    <message>
        <source>%1 points at %2, not %3</source>
        <translation>%1 指向 %2，而不是 %3</translation>
    </message>
    <message>
        <source>%1 does not point at the gateway</source>
        <translation>%1 未指向网关</translation>
    </message>
    <message>
        <source>%1 cannot be read</source>
        <translation>无法读取 %1</translation>
    </message>
    <message>
        <source> (use “Apply” to set it up)</source>
        <translation> （请点“应用”完成设置）</translation>
    </message>
    <message>
        <source>The gateway is not running: start it first</source>
        <translation>网关未运行：请先启动</translation>
    </message>
    <message>
        <source>skipped: the gateway does not answer</source>
        <translation>已跳过：网关无响应</translation>
    </message>
    <message>
        <source>%1/health ok (%2 ms)</source>
        <translation>%1/health 正常（%2 ms）</translation>
    </message>
    <message>
        <source>%1/health answered %2: %3</source>
        <translation>%1/health 返回 %2：%3</translation>
    </message>
    <message>
        <source>%1 %2 (model %3): </source>
        <translation>%1 %2（模型 %3）： </translation>
    </message>
    <message>
        <source>%1, answered in %2 ms</source>
        <translation>%1，耗时 %2 ms</translation>
    </message>
    <message>
        <source>Stopping the gateway…</source>
        <translation>正在停止网关…</translation>
    </message>
    <message>
        <source>Starting the gateway…</source>
        <translation>正在启动网关…</translation>
    </message>
    <message>
        <source>Gateway running</source>
        <translation>网关运行中</translation>
    </message>
    <message>
        <source>Gateway running at %1</source>
        <translation>网关运行于 %1</translation>
    </message>
    <message>
        <source>The gateway is not running</source>
        <translation>网关未运行</translation>
    </message>
    <message>
        <source>Start the gateway on the Gateway page</source>
        <translation>请在“网关”页面启动网关</translation>
    </message>
    <message>
        <source>agentgatectl was not found in %1 or on PATH</source>
        <translation>在 %1 和 PATH 中均未找到 agentgatectl</translation>
    </message>
    <message>
        <source>agentgatectl failed (exit code %1)</source>
        <translation>agentgatectl 执行失败（退出码 %1）</translation>
    </message>
    <message>
        <source>agentgatectl crashed</source>
        <translation>agentgatectl 崩溃</translation>
    </message>
    <message>
        <source>cannot run %1: %2</source>
        <translation>无法运行 %1：%2</translation>
    </message>
    <message>
        <source>Gateway started</source>
        <translation>网关已启动</translation>
    </message>
    <message>
        <source>The gateway did not start: %1</source>
        <translation>网关未能启动：%1</translation>
    </message>
    <message>
        <source>The gateway is already running</source>
        <translation>网关已在运行</translation>
    </message>
    <message>
        <source>Gateway stopped</source>
        <translation>网关已停止</translation>
    </message>
    <message>
        <source>The gateway did not stop: %1</source>
        <translation>网关未能停止：%1</translation>
    </message>
    <message>
        <source>There is no token yet: start the gateway once</source>
        <translation>尚无令牌：请先启动一次网关</translation>
    </message>
    <message>
        <source>There is no clipboard here</source>
        <translation>此处没有剪贴板</translation>
    </message>
    <message>
        <source>Token copied</source>
        <translation>令牌已复制</translation>
    </message>
    <message>
        <source>A new token is in place</source>
        <translation>已生成新令牌</translation>
    </message>
    <message>
        <source>; %1 updated to use it</source>
        <translation>；已更新 %1 以使用新令牌</translation>
    </message>
    <message>
        <source>Choose the provider&apos;s type</source>
        <translation>请选择服务商类型</translation>
    </message>
    <message>
        <source>Provider %1 saved</source>
        <translation>服务商 %1 已保存</translation>
    </message>
    <message>
        <source>Provider %1 deleted</source>
        <translation>服务商 %1 已删除</translation>
    </message>
    <message>
        <source>Provider %1 enabled</source>
        <translation>服务商 %1 已启用</translation>
    </message>
    <message>
        <source>Provider %1 disabled</source>
        <translation>服务商 %1 已停用</translation>
    </message>
    <message>
        <source>Provider %1 works</source>
        <translation>服务商 %1 工作正常</translation>
    </message>
    <message>
        <source>Provider %1 failed its test</source>
        <translation>服务商 %1 测试未通过</translation>
    </message>
    <message>
        <source>Provider %1 failed its test: %2</source>
        <translation>服务商 %1 测试未通过：%2</translation>
    </message>
    <message>
        <source>Provider %1 is available again</source>
        <translation>服务商 %1 已恢复可用</translation>
    </message>
    <message>
        <source>Paste your provider&apos;s API key</source>
        <translation>请粘贴服务商的 API 密钥</translation>
    </message>
    <message>
        <source>Many providers use keys starting with “sk-”: choose which one</source>
        <translation>许多服务商的密钥都以“sk-”开头：请选择是哪一家</translation>
    </message>
    <message>
        <source>This key&apos;s provider is not known from its prefix: choose it</source>
        <translation>无法从前缀识别此密钥的服务商：请手动选择</translation>
    </message>
    <message>
        <source>This looks like a %1 key</source>
        <translation>这看起来是 %1 的密钥</translation>
    </message>
    <message>
        <source>The gateway did not start</source>
        <translation>网关未能启动</translation>
    </message>
    <message>
        <source>Cannot tell the provider from this key: choose its type</source>
        <translation>无法从此密钥判断服务商：请选择其类型</translation>
    </message>
    <message>
        <source>Unknown provider type %1</source>
        <translation>未知的服务商类型 %1</translation>
    </message>
    <message>
        <source>Provider %1 has the new key</source>
        <translation>服务商 %1 已使用新密钥</translation>
    </message>
    <message>
        <source>Added provider %1 (%2)</source>
        <translation>已添加服务商 %1（%2）</translation>
    </message>
    <message>
        <source>the provider did not answer</source>
        <translation>服务商没有响应</translation>
    </message>
    <message>
        <source>The test failed: %1</source>
        <translation>测试失败：%1</translation>
    </message>
    <message>
        <source>%1 answered (model %2)</source>
        <translation>%1 已响应（模型 %2）</translation>
    </message>
    <message>
        <source>unknown client %1</source>
        <translation>未知客户端 %1</translation>
    </message>
    <message>
        <source>No clients chosen</source>
        <translation>未选择客户端</translation>
    </message>
    <message>
        <source>%1 now use the gateway</source>
        <translation>%1 现已使用网关</translation>
    </message>
    <message>
        <source>AgentGate is set up</source>
        <translation>AgentGate 已设置完成</translation>
    </message>
    <message>
        <source>The route needs a name</source>
        <translation>路由需要一个名称</translation>
    </message>
    <message>
        <source>Route %1 saved</source>
        <translation>路由 %1 已保存</translation>
    </message>
    <message>
        <source>The route&apos;s chain has changed: try again</source>
        <translation>路由的链已变更：请重试</translation>
    </message>
    <message>
        <source>A route&apos;s mode is manual or failover, not %1</source>
        <translation>路由的模式只能是手动或故障转移，而不是 %1</translation>
    </message>
    <message>
        <source>Route %1: manual</source>
        <translation>路由 %1：手动</translation>
    </message>
    <message>
        <source>Route %1: failover</source>
        <translation>路由 %1：故障转移</translation>
    </message>
    <message>
        <source>Route %1 removed</source>
        <translation>路由 %1 已删除</translation>
    </message>
    <message>
        <source>Unknown client %1</source>
        <translation>未知客户端 %1</translation>
    </message>
    <message>
        <source>%1 now uses the gateway</source>
        <translation>%1 现已使用网关</translation>
    </message>
    <message>
        <source>%1 has no backup: AgentGate did not change its configuration</source>
        <translation>%1 没有备份：AgentGate 未更改其配置</translation>
    </message>
    <message>
        <source>%1 is back to its own configuration</source>
        <translation>%1 已恢复为原有配置</translation>
    </message>
    <message>
        <source>%1 works through the gateway</source>
        <translation>%1 可通过网关正常工作</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>Choose a file to save the bundle to</source>
        <translation>选择诊断包的保存位置</translation>
    </message>
    <message>
        <source>Diagnostics saved to %1</source>
        <translation>诊断信息已保存到 %1</translation>
    </message>
    <message>
        <source>The bundle was not written</source>
        <translation>诊断包未能写入</translation>
    </message>
    <message>
        <source>Daily budget set to $%1</source>
        <translation>每日预算已设为 $%1</translation>
    </message>
    <message>
        <source>Daily budget removed</source>
        <translation>每日预算已移除</translation>
    </message>
    <message>
        <source>%1 needs a model for its agentgate provider: %2</source>
        <translation>%1 的 agentgate 服务商需要一个模型：%2</translation>
    </message>
    <message>
        <source>There is no %1: Codex may keep its sign-in in the system keyring. Put cli_auth_credentials_store = &quot;file&quot; in ~/.codex/config.toml and sign in again (codex login), or choose the file.</source>
        <translation>没有 %1：Codex 可能把登录保存在系统钥匙串中。请在 ~/.codex/config.toml 中设置 cli_auth_credentials_store = &quot;file&quot; 后重新登录（codex login），或选择该文件。</translation>
    </message>
    <message>
        <source>Cannot read %1</source>
        <translation>无法读取 %1</translation>
    </message>
    <message>
        <source>Account %1 signed in again</source>
        <translation>账号 %1 已重新登录</translation>
    </message>
    <message>
        <source>Account %1 imported into %2: the gateway now keeps its sign-in alive, so Codex&apos;s own copy stops working after the next refresh. Point Codex at the gateway on the Clients page.</source>
        <translation>账号 %1 已导入 %2：网关会保持其登录有效，下次刷新后 Codex 自己那份将失效。请在“客户端”页把 Codex 指向网关。</translation>
    </message>
    <message>
        <source>Account %1 removed</source>
        <translation>账号 %1 已移除</translation>
    </message>
    <message>
        <source>Account %1 refreshed</source>
        <translation>账号 %1 已刷新</translation>
    </message>
    <message>
        <source>Cannot keep a copy of %1</source>
        <translation>无法保留 %1 的副本</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
    <message>
        <source>Wrote %1 with account %2&apos;s sign-in. Remove the account from the gateway before Codex uses it: the two copies would spend each other&apos;s refresh tokens.</source>
        <translation>已把账号 %2 的登录写入 %1。在 Codex 使用它之前，请先从网关移除该账号：两份副本会互相耗掉对方的刷新令牌。</translation>
    </message>
    <message>
        <source>Route %1: a cut stream continues on the next provider</source>
        <translation>路由 %1：中断的流由下一个服务商续写</translation>
    </message>
    <message>
        <source>Route %1: a cut stream ends with an error</source>
        <translation>路由 %1：中断的流以错误结束</translation>
    </message>
    <message>
        <source>Account %1 is now used first</source>
        <translation>账号 %1 现已设为首选</translation>
    </message>
    <message>
        <source>The code was not entered within 15 minutes: sign in again.</source>
        <translation>15 分钟内未输入验证码：请重新登录。</translation>
    </message>
    <message>
        <source>Signed in: account %1 (%2) is in %3. Point Codex at the gateway on the Clients page.</source>
        <translation>已登录：账号 %1（%2）已加入 %3。请在“客户端”页面将 Codex 指向网关。</translation>
    </message>
    <message>
        <source>Backup %1 made, sealed with your passphrase: it restores on any machine.</source>
        <translation>已创建备份 %1，使用你的口令加密：可在任何机器上恢复。</translation>
    </message>
    <message>
        <source>Backup %1 made, sealed with this gateway&apos;s master key.</source>
        <translation>已创建备份 %1，使用本网关的主密钥加密。</translation>
    </message>
    <message>
        <source>MCP servers and skills written into the clients</source>
        <translation>MCP 服务器和技能已写入各客户端</translation>
    </message>
    <message>
        <source>MCP server %1 added</source>
        <translation>已添加 MCP 服务器 %1</translation>
    </message>
    <message>
        <source>MCP server %1 removed from the clients</source>
        <translation>MCP 服务器 %1 已从各客户端移除</translation>
    </message>
    <message>
        <source>No MCP server %1</source>
        <translation>没有 MCP 服务器 %1</translation>
    </message>
    <message>
        <source>MCP server %1 on</source>
        <translation>MCP 服务器 %1 已启用</translation>
    </message>
    <message>
        <source>MCP server %1 off</source>
        <translation>MCP 服务器 %1 已停用</translation>
    </message>
    <message>
        <source>Skill %1 added</source>
        <translation>已添加技能 %1</translation>
    </message>
    <message>
        <source>Skill %1 removed from the clients</source>
        <translation>技能 %1 已从各客户端移除</translation>
    </message>
    <message>
        <source>No skill %1</source>
        <translation>没有技能 %1</translation>
    </message>
    <message>
        <source>Skill %1 on</source>
        <translation>技能 %1 已启用</translation>
    </message>
    <message>
        <source>Skill %1 off</source>
        <translation>技能 %1 已停用</translation>
    </message>
    <message numerus="yes">
        <source>%n imported from the clients</source>
        <translation>
            <numerusform>已从客户端导入 %n 项</numerusform>
        </translation>
    </message>
    <message>
        <source>The gateway&apos;s MCP servers and skills are out of %1</source>
        <translation>网关的 MCP 服务器和技能已从 %1 中移除</translation>
    </message>
</context>
<context>
    <name>Catalog</name>
    <message>
        <source>Custom (OpenAI-compatible)</source>
        <translation>自定义（OpenAI 兼容）</translation>
    </message>
    <message>
        <source>Preset default</source>
        <translation>预设默认值</translation>
    </message>
    <message>
        <source>OpenAI Chat Completions</source>
        <translation>OpenAI Chat Completions</translation>
    </message>
    <message>
        <source>Anthropic Messages</source>
        <translation>Anthropic Messages</translation>
    </message>
    <message>
        <source>Google Gemini</source>
        <translation>Google Gemini</translation>
    </message>
    <message>
        <source>Claude Code</source>
        <translation>Claude Code</translation>
    </message>
    <message>
        <source>Codex CLI</source>
        <translation>Codex CLI</translation>
    </message>
    <message>
        <source>Gemini CLI</source>
        <translation>Gemini CLI</translation>
    </message>
    <message>
        <source>OpenCode &amp; Chat API</source>
        <translation>OpenCode 与 Chat API</translation>
    </message>
    <message>
        <source>Image requests</source>
        <translation>图像请求</translation>
    </message>
    <message>
        <source>The request carries images.</source>
        <translation>请求中包含图像。</translation>
    </message>
    <message>
        <source>Reasoning</source>
        <translation>推理</translation>
    </message>
    <message>
        <source>Thinking / reasoning is asked for.</source>
        <translation>请求要求思考 / 推理。</translation>
    </message>
    <message>
        <source>Background</source>
        <translation>后台任务</translation>
    </message>
    <message>
        <source>Small, fast models: haiku, -mini, -nano, flash-lite.</source>
        <translation>小而快的模型：haiku、-mini、-nano、flash-lite。</translation>
    </message>
    <message>
        <source>Long text</source>
        <translation>长文本</translation>
    </message>
    <message>
        <source>60k or more estimated input tokens.</source>
        <translation>估计输入 Token 达 60k 及以上。</translation>
    </message>
    <message>
        <source>Tool-heavy</source>
        <translation>大量工具</translation>
    </message>
    <message>
        <source>20 or more tools declared.</source>
        <translation>声明了 20 个及以上的工具。</translation>
    </message>
    <message>
        <source>Config</source>
        <translation>配置</translation>
    </message>
    <message>
        <source>Gateway</source>
        <translation>网关</translation>
    </message>
    <message>
        <source>Provider</source>
        <translation>服务商</translation>
    </message>
    <message>
        <source>Vision</source>
        <translation>视觉</translation>
    </message>
    <message>
        <source>Prompt cache</source>
        <translation>提示缓存</translation>
    </message>
    <message>
        <source>Models</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Test</source>
        <translation>测试</translation>
    </message>
    <message>
        <source>Clients</source>
        <translation>客户端</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <source>success</source>
        <translation>成功</translation>
    </message>
    <message>
        <source>HTTP error</source>
        <translation>HTTP 错误</translation>
    </message>
    <message>
        <source>connection error</source>
        <translation>连接错误</translation>
    </message>
    <message>
        <source>timeout</source>
        <translation>超时</translation>
    </message>
    <message>
        <source>stream cut</source>
        <translation>流中断</translation>
    </message>
</context>
<context>
    <name>Chart</name>
    <message>
        <source>%1 requests</source>
        <translation>%1 个请求</translation>
    </message>
    <message>
        <source>%1 errors</source>
        <translation>%1 个错误</translation>
    </message>
    <message>
        <source>Cost %1</source>
        <translation>费用 %1</translation>
    </message>
</context>
<context>
    <name>ClientsPage</name>
    <message>
        <source>Clients</source>
        <translation>客户端</translation>
    </message>
    <message>
        <source>Point your coding agents at the gateway. Only AgentGate&apos;s own settings change in their config files, and the originals are kept.</source>
        <translation>让你的编码智能体通过网关工作。配置文件中只会修改 AgentGate 自己的设置，并保留原始文件。</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>The gateway is not running: clients that point at it cannot work, and applying needs its address and token.</source>
        <translation>网关未运行：指向它的客户端无法工作，而且应用配置需要网关的地址和令牌。</translation>
    </message>
    <message>
        <source>Start gateway</source>
        <translation>启动网关</translation>
    </message>
    <message>
        <source>Looking for clients…</source>
        <translation>正在查找客户端…</translation>
    </message>
    <message>
        <source>installed</source>
        <translation>已安装</translation>
    </message>
    <message>
        <source>not installed (not on PATH)</source>
        <translation>未安装（不在 PATH 中）</translation>
    </message>
    <message>
        <source>stale token</source>
        <translation>令牌已失效</translation>
    </message>
    <message>
        <source>uses AgentGate</source>
        <translation>使用 AgentGate</translation>
    </message>
    <message>
        <source>official</source>
        <translation>官方</translation>
    </message>
    <message>
        <source>not set up</source>
        <translation>未设置</translation>
    </message>
    <message>
        <source>Config file</source>
        <translation>配置文件</translation>
    </message>
    <message>
        <source>Talks to</source>
        <translation>连接到</translation>
    </message>
    <message>
        <source>its official service</source>
        <translation>其官方服务</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Backup</source>
        <translation>备份</translation>
    </message>
    <message>
        <source>the original config is kept</source>
        <translation>已保留原始配置</translation>
    </message>
    <message>
        <source>none yet</source>
        <translation>暂无</translation>
    </message>
    <message>
        <source>Apply again</source>
        <translation>重新应用</translation>
    </message>
    <message>
        <source>Apply</source>
        <translation>应用</translation>
    </message>
    <message>
        <source>Test</source>
        <translation>测试</translation>
    </message>
    <message>
        <source>Switch back to official</source>
        <translation>恢复官方配置</translation>
    </message>
    <message>
        <source>Switch %1 back to official?</source>
        <translation>将 %1 恢复为官方配置？</translation>
    </message>
    <message>
        <source>Its original config comes back; changes you made since are kept, and only AgentGate&apos;s settings are undone.</source>
        <translation>其原始配置将会恢复；你此后所做的修改会保留，只撤销 AgentGate 的设置。</translation>
    </message>
    <message>
        <source>Switch back</source>
        <translation>恢复</translation>
    </message>
</context>
<context>
    <name>ConfirmDialog</name>
    <message>
        <source>Confirm</source>
        <translation>确认</translation>
    </message>
    <message>
        <source>Are you sure?</source>
        <translation>确定吗？</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>CopyButton</name>
    <message>
        <source>Copied</source>
        <translation>已复制</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
</context>
<context>
    <name>DiagnosticsPage</name>
    <message>
        <source>Diagnostics</source>
        <translation>诊断</translation>
    </message>
    <message>
        <source>Check that everything is in order, and make a bundle for a bug report.</source>
        <translation>检查一切是否正常，并生成用于错误报告的诊断包。</translation>
    </message>
    <message>
        <source>Self-check</source>
        <translation>自检</translation>
    </message>
    <message>
        <source>Services up and on one version, config and databases sound, secret files private, each provider&apos;s last test, clocks.</source>
        <translation>服务已启动且版本一致、配置和数据库完好、密钥文件权限私密、各服务商的最近一次测试结果、时钟。</translation>
    </message>
    <message>
        <source>Run again</source>
        <translation>重新运行</translation>
    </message>
    <message>
        <source>Run self-check</source>
        <translation>运行自检</translation>
    </message>
    <message>
        <source>Passed: %1</source>
        <translation>通过：%1</translation>
    </message>
    <message>
        <source>Warnings: %1</source>
        <translation>警告：%1</translation>
    </message>
    <message>
        <source>Failed: %1</source>
        <translation>失败：%1</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>正在检查…</translation>
    </message>
    <message>
        <source>Run the self-check to see how the stack is doing.</source>
        <translation>运行自检以查看整个服务栈的状态。</translation>
    </message>
    <message>
        <source>The gateway is not running; the self-check says what it can and how to fix the rest.</source>
        <translation>网关未运行；自检会报告它能检查的内容，并说明如何修复其余问题。</translation>
    </message>
    <message>
        <source>Fix</source>
        <translation>修复</translation>
    </message>
    <message>
        <source>Bug report bundle</source>
        <translation>错误报告诊断包</translation>
    </message>
    <message>
        <source>A .tar.gz with versions, the self-check, providers (keys masked), routes, prices, the last 200 request records (no prompt or answer text) and the service logs. Tokens and anything shaped like a key are redacted.</source>
        <translation>一个 .tar.gz 文件，包含版本信息、自检结果、服务商（密钥已遮盖）、路由、价格、最近 200 条请求记录（不含提示词或回答文本）以及服务日志。令牌以及任何形似密钥的内容都会被隐去。</translation>
    </message>
    <message>
        <source>Where to save it</source>
        <translation>保存位置</translation>
    </message>
    <message>
        <source>Export bundle</source>
        <translation>导出诊断包</translation>
    </message>
    <message>
        <source>Saved to %1</source>
        <translation>已保存到 %1</translation>
    </message>
    <message>
        <source>The bundle could not be made.</source>
        <translation>无法生成诊断包。</translation>
    </message>
    <message>
        <source>This installation</source>
        <translation>当前安装</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>版本</translation>
    </message>
    <message>
        <source>Data folder</source>
        <translation>数据目录</translation>
    </message>
    <message>
        <source>Gateway</source>
        <translation>网关</translation>
    </message>
    <message>
        <source>Admin API</source>
        <translation>管理 API</translation>
    </message>
    <message>
        <source>Live events</source>
        <translation>实时事件</translation>
    </message>
    <message>
        <source>connected</source>
        <translation>已连接</translation>
    </message>
    <message>
        <source>not connected (the pages refresh every few seconds)</source>
        <translation>未连接（页面每隔几秒刷新一次）</translation>
    </message>
</context>
<context>
    <name>Fmt</name>
    <message>
        <source>unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <source>%1m %2s</source>
        <translation>%1分%2秒</translation>
    </message>
    <message>
        <source>%1s</source>
        <translation>%1秒</translation>
    </message>
    <message>
        <source>%1m</source>
        <translation>%1分</translation>
    </message>
    <message>
        <source>%1h %2m</source>
        <translation>%1小时%2分</translation>
    </message>
    <message>
        <source>%1d %2h</source>
        <translation>%1天%2小时</translation>
    </message>
    <message>
        <source>never</source>
        <translation>从未</translation>
    </message>
    <message>
        <source>just now</source>
        <translation>刚刚</translation>
    </message>
    <message>
        <source>%1 min ago</source>
        <translation>%1 分钟前</translation>
    </message>
    <message>
        <source>%1 h ago</source>
        <translation>%1 小时前</translation>
    </message>
    <message>
        <source>%1 d ago</source>
        <translation>%1 天前</translation>
    </message>
</context>
<context>
    <name>GatewayPage</name>
    <message>
        <source>Gateway</source>
        <translation>网关</translation>
    </message>
    <message>
        <source>The local gateway your coding agents talk to.</source>
        <translation>供你的编码智能体连接的本地网关。</translation>
    </message>
    <message>
        <source>Working…</source>
        <translation>处理中…</translation>
    </message>
    <message>
        <source>Running</source>
        <translation>运行中</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>The gateway is running.</source>
        <translation>网关正在运行。</translation>
    </message>
    <message>
        <source>The gateway is not running.</source>
        <translation>网关未运行。</translation>
    </message>
    <message>
        <source>Start gateway</source>
        <translation>启动网关</translation>
    </message>
    <message>
        <source>Stop gateway</source>
        <translation>停止网关</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Addresses</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Any OpenAI-compatible client works with the base URL and the local token as its API key.</source>
        <translation>任何 OpenAI 兼容的客户端，只需填入 Base URL 并以本地令牌作为 API 密钥即可使用。</translation>
    </message>
    <message>
        <source>OpenAI base URL</source>
        <translation>OpenAI Base URL</translation>
    </message>
    <message>
        <source>Admin API</source>
        <translation>管理 API</translation>
    </message>
    <message>
        <source>Data folder</source>
        <translation>数据目录</translation>
    </message>
    <message>
        <source>Local token</source>
        <translation>本地令牌</translation>
    </message>
    <message>
        <source>Clients present it instead of your provider keys. Stored in %1.</source>
        <translation>客户端使用它来代替你的服务商密钥。存储于 %1。</translation>
    </message>
    <message>
        <source>not known yet: start the gateway</source>
        <translation>暂不可知：请启动网关</translation>
    </message>
    <message>
        <source>Hide</source>
        <translation>隐藏</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>显示</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Regenerate…</source>
        <translation>重新生成…</translation>
    </message>
    <message>
        <source>Services</source>
        <translation>服务</translation>
    </message>
    <message>
        <source>The processes of the stack, started together and restarted if one crashes.</source>
        <translation>服务栈中的各个进程：一同启动，任一进程崩溃时会自动重启。</translation>
    </message>
    <message>
        <source>No service reported yet.</source>
        <translation>尚无服务上报。</translation>
    </message>
    <message>
        <source>No services running. Start the gateway to bring them up.</source>
        <translation>没有正在运行的服务。启动网关即可拉起它们。</translation>
    </message>
    <message>
        <source>Service</source>
        <translation>服务</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>版本</translation>
    </message>
    <message>
        <source>Uptime</source>
        <translation>运行时长</translation>
    </message>
    <message>
        <source>Config</source>
        <translation>配置</translation>
    </message>
    <message>
        <source>PID</source>
        <translation>PID</translation>
    </message>
    <message>
        <source>down</source>
        <translation>不可用</translation>
    </message>
    <message>
        <source>Regenerate the local token?</source>
        <translation>重新生成本地令牌？</translation>
    </message>
    <message>
        <source>The old token stops working at once. Clients configured with it fail until you apply them again on the Clients page.</source>
        <translation>旧令牌将立即失效。使用旧令牌配置的客户端将无法工作，直到你在“客户端”页面重新应用。</translation>
    </message>
    <message>
        <source>Regenerate</source>
        <translation>重新生成</translation>
    </message>
    <message>
        <source>Stop the gateway?</source>
        <translation>停止网关？</translation>
    </message>
    <message>
        <source>Agents that use the gateway cannot reach their providers until it runs again.</source>
        <translation>在网关重新运行之前，使用网关的智能体将无法访问其服务商。</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
</context>
<context>
    <name>LogsPage</name>
    <message>
        <source>Logs</source>
        <translation>日志</translation>
    </message>
    <message>
        <source>Recent requests through the gateway. No prompt or answer text is recorded.</source>
        <translation>经过网关的最近请求。不会记录提示词或回答文本。</translation>
    </message>
    <message>
        <source>All providers</source>
        <translation>所有服务商</translation>
    </message>
    <message>
        <source>Chat</source>
        <translation>Chat</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Request logs are read from the gateway: start it to see them.</source>
        <translation>请求日志从网关读取：启动网关即可查看。</translation>
    </message>
    <message>
        <source>Any status</source>
        <translation>所有状态</translation>
    </message>
    <message>
        <source>Status %1</source>
        <translation>状态 %1</translation>
    </message>
    <message>
        <source>Errors only</source>
        <translation>仅显示错误</translation>
    </message>
    <message>
        <source>Shown: %1</source>
        <translation>显示：%1</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Client</source>
        <translation>客户端</translation>
    </message>
    <message>
        <source>Provider</source>
        <translation>服务商</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Latency</source>
        <translation>延迟</translation>
    </message>
    <message>
        <source>Tokens in/out</source>
        <translation>输入/输出 Token</translation>
    </message>
    <message>
        <source>Cost</source>
        <translation>费用</translation>
    </message>
    <message>
        <source>No request matches the filters</source>
        <translation>没有符合筛选条件的请求</translation>
    </message>
    <message>
        <source>No requests yet</source>
        <translation>暂无请求</translation>
    </message>
    <message>
        <source>Requests appear here as your agents use the gateway.</source>
        <translation>你的智能体使用网关后，请求会显示在这里。</translation>
    </message>
    <message>
        <source>no provider</source>
        <translation>无服务商</translation>
    </message>
    <message>
        <source>Request</source>
        <translation>请求</translation>
    </message>
    <message>
        <source>Model asked</source>
        <translation>请求的模型</translation>
    </message>
    <message>
        <source>Model sent</source>
        <translation>发送的模型</translation>
    </message>
    <message>
        <source>first byte %1</source>
        <translation>首字节 %1</translation>
    </message>
    <message>
        <source>Streamed</source>
        <translation>流式传输</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>no</source>
        <translation>否</translation>
    </message>
    <message>
        <source>Input tokens</source>
        <translation>输入 Token</translation>
    </message>
    <message>
        <source>%1 cached</source>
        <translation>已缓存 %1</translation>
    </message>
    <message>
        <source>Output tokens</source>
        <translation>输出 Token</translation>
    </message>
    <message>
        <source>%1 reasoning</source>
        <translation>推理 %1</translation>
    </message>
    <message>
        <source>Conversion losses</source>
        <translation>转换损失</translation>
    </message>
    <message>
        <source>None: nothing was dropped on the way.</source>
        <translation>无：传输过程中没有丢弃任何内容。</translation>
    </message>
    <message>
        <source>Failover path: %1 attempts</source>
        <translation>故障转移路径：%1 次尝试</translation>
    </message>
    <message>
        <source>Upstream attempt</source>
        <translation>上游尝试</translation>
    </message>
    <message>
        <source>No upstream attempt was recorded (refused before any provider was tried).</source>
        <translation>未记录上游尝试（在尝试任何服务商之前即被拒绝）。</translation>
    </message>
    <message>
        <source>then</source>
        <translation>然后</translation>
    </message>
    <message>
        <source>then continued the cut answer (mid-stream failover)</source>
        <translation>随后续写了中断的回答（流中故障转移）</translation>
    </message>
    <message>
        <source>plan</source>
        <translation>套餐</translation>
    </message>
    <message>
        <source>on your ChatGPT plan (%1 at API prices)</source>
        <translation>计入你的 ChatGPT 套餐（按 API 价格约 %1）</translation>
    </message>
</context>
<context>
    <name>Main</name>
    <message>
        <source>AgentGate</source>
        <translation>AgentGate</translation>
    </message>
    <message>
        <source>Overview</source>
        <translation>概览</translation>
    </message>
    <message>
        <source>Quick Setup</source>
        <translation>快速设置</translation>
    </message>
    <message>
        <source>Providers</source>
        <translation>服务商</translation>
    </message>
    <message>
        <source>Routes</source>
        <translation>路由</translation>
    </message>
    <message>
        <source>Gateway</source>
        <translation>网关</translation>
    </message>
    <message>
        <source>Clients</source>
        <translation>客户端</translation>
    </message>
    <message>
        <source>Logs</source>
        <translation>日志</translation>
    </message>
    <message>
        <source>Diagnostics</source>
        <translation>诊断</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Gateway running</source>
        <translation>网关运行中</translation>
    </message>
    <message>
        <source>Gateway stopped</source>
        <translation>网关已停止</translation>
    </message>
    <message>
        <source>The gateway is not running.</source>
        <translation>网关未运行。</translation>
    </message>
    <message>
        <source>Start gateway</source>
        <translation>启动网关</translation>
    </message>
    <message>
        <source>Accounts</source>
        <translation>账号</translation>
    </message>
    <message>
        <source>MCP &amp; Skills</source>
        <translation>MCP 与技能</translation>
    </message>
</context>
<context>
    <name>OfflineNotice</name>
    <message>
        <source>Start it to see live data here.</source>
        <translation>启动网关后即可在此查看实时数据。</translation>
    </message>
    <message>
        <source>Starting the gateway…</source>
        <translation>正在启动网关…</translation>
    </message>
    <message>
        <source>The gateway is not running</source>
        <translation>网关未运行</translation>
    </message>
    <message>
        <source>Start gateway</source>
        <translation>启动网关</translation>
    </message>
</context>
<context>
    <name>OverviewPage</name>
    <message>
        <source>Overview</source>
        <translation>概览</translation>
    </message>
    <message>
        <source>Requests, tokens and cost through your gateway.</source>
        <translation>经过网关的请求、Token 和费用。</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <source>+ %1 without a price</source>
        <translation>+ %1 个请求未计价</translation>
    </message>
    <message>
        <source>Requests</source>
        <translation>请求</translation>
    </message>
    <message>
        <source>Errors</source>
        <translation>错误</translation>
    </message>
    <message>
        <source>Input tokens</source>
        <translation>输入 Token</translation>
    </message>
    <message>
        <source>Output tokens</source>
        <translation>输出 Token</translation>
    </message>
    <message>
        <source>Cost</source>
        <translation>费用</translation>
    </message>
    <message>
        <source>Avg latency</source>
        <translation>平均延迟</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Requests, tokens and cost appear here once the gateway runs.</source>
        <translation>网关运行后，请求、Token 和费用会显示在这里。</translation>
    </message>
    <message>
        <source>Requests today</source>
        <translation>今日请求</translation>
    </message>
    <message>
        <source>1 error · %1 all time</source>
        <translation>1 个错误 · 累计 %1</translation>
    </message>
    <message>
        <source>%1 errors · %2 all time</source>
        <translation>%1 个错误 · 累计 %2</translation>
    </message>
    <message>
        <source>No data yet</source>
        <translation>暂无数据</translation>
    </message>
    <message>
        <source>Tokens today</source>
        <translation>今日 Token</translation>
    </message>
    <message>
        <source>%1 in · %2 out</source>
        <translation>输入 %1 · 输出 %2</translation>
    </message>
    <message>
        <source>Cost today</source>
        <translation>今日费用</translation>
    </message>
    <message>
        <source>%1 all time</source>
        <translation>累计 %1</translation>
    </message>
    <message>
        <source>Average request</source>
        <translation>平均每次请求</translation>
    </message>
    <message>
        <source>%1 per priced request</source>
        <translation>每个计价请求 %1</translation>
    </message>
    <message>
        <source>All time</source>
        <translation>累计</translation>
    </message>
    <message>
        <source>Daily budget</source>
        <translation>每日预算</translation>
    </message>
    <message>
        <source>blocks when spent</source>
        <translation>用完后拦截</translation>
    </message>
    <message>
        <source>cheapest first when spent</source>
        <translation>用完后改用最便宜的</translation>
    </message>
    <message>
        <source>notifies when spent</source>
        <translation>用完后通知</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <source>Last 24 hours</source>
        <translation>最近 24 小时</translation>
    </message>
    <message>
        <source>Requests per hour, errors on top, and what they cost</source>
        <translation>每小时请求数、叠加显示的错误，以及对应费用</translation>
    </message>
    <message>
        <source>No requests in the last 24 hours</source>
        <translation>最近 24 小时内没有请求</translation>
    </message>
    <message>
        <source>Recent errors</source>
        <translation>最近错误</translation>
    </message>
    <message>
        <source>The newest failed requests; the Logs page has the details</source>
        <translation>最新的失败请求；详情请看“日志”页面</translation>
    </message>
    <message>
        <source>No errors — every request went through.</source>
        <translation>没有错误 — 所有请求均已通过。</translation>
    </message>
    <message>
        <source>no provider</source>
        <translation>无服务商</translation>
    </message>
    <message>
        <source>+ %1 on your ChatGPT plan (%2 at API prices)</source>
        <translation>另有 %1 个请求计入你的 ChatGPT 套餐（按 API 价格约 %2）</translation>
    </message>
</context>
<context>
    <name>agentgate::desktop::PetChat</name>
    <message>
        <source>Hi %1! Good to see you again. Ask me anything — I answer through your own gateway.</source>
        <translation>嗨，%1！很高兴再次见到你。有什么尽管问我 — 我会通过你自己的网关来回答。</translation>
    </message>
    <message>
        <source>Hi! I&apos;m your AgentGate pet. Ask me anything — I answer through your own gateway. What&apos;s your name?</source>
        <translation>嗨！我是你的 AgentGate 桌宠。有什么尽管问我 — 我会通过你自己的网关来回答。你叫什么名字？</translation>
    </message>
    <message>
        <source>Nice to meet you, %1! I&apos;ll remember your name.</source>
        <translation>很高兴认识你，%1！我会记住你的名字。</translation>
    </message>
    <message>
        <source>The gateway isn&apos;t running, so I can&apos;t think right now. Start it from the tray or the Gateway page.</source>
        <translation>网关没有运行，所以我现在没法思考。请从系统托盘或“网关”页面启动它。</translation>
    </message>
    <message>
        <source>I couldn&apos;t reach the gateway: %1</source>
        <translation>我连不上网关：%1</translation>
    </message>
    <message>
        <source>no answer</source>
        <translation>没有回答</translation>
    </message>
    <message>
        <source>The gateway didn&apos;t accept my token (401). Try again after the gateway restarts.</source>
        <translation>网关不接受我的令牌（401）。请在网关重启后再试。</translation>
    </message>
    <message>
        <source>The gateway answered %1: %2</source>
        <translation>网关返回 %1：%2</translation>
    </message>
    <message>
        <source>The gateway&apos;s answer was not JSON: %1</source>
        <translation>网关的回答不是 JSON：%1</translation>
    </message>
    <message>
        <source>Hmm, the model answered with nothing. Try again?</source>
        <translation>嗯，模型什么也没回答。再试一次？</translation>
    </message>
</context>
<context>
    <name>PetChatWindow</name>
    <message>
        <source>Chat with %1</source>
        <translation>与 %1 聊天</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>清空</translation>
    </message>
    <message>
        <source>Say something…</source>
        <translation>说点什么…</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>发送</translation>
    </message>
</context>
<context>
    <name>agentgate::desktop::PetController</name>
    <message>
        <source>Gateway Bot</source>
        <translation>Gateway Bot</translation>
    </message>
    <message>
        <source>Pixel Cat</source>
        <translation>Pixel Cat</translation>
    </message>
    <message>
        <source>Slime</source>
        <translation>Slime</translation>
    </message>
    <message>
        <source>CEO</source>
        <translation>CEO</translation>
    </message>
    <message>
        <source>Octopus</source>
        <translation>Octopus</translation>
    </message>
    <message>
        <source>MaFan</source>
        <translation>MaFan</translation>
    </message>
    <message>
        <source>KuiKui</source>
        <translation>KuiKui</translation>
    </message>
    <message>
        <source>FenZong</source>
        <translation>FenZong</translation>
    </message>
    <message>
        <source>ZhenZhen</source>
        <translation>ZhenZhen</translation>
    </message>
    <message>
        <source>Gateway started — ready when you are!</source>
        <translation>网关已启动 — 随时待命！</translation>
    </message>
    <message>
        <source>Gateway stopped.</source>
        <translation>网关已停止。</translation>
    </message>
    <message>
        <source>cost unknown</source>
        <translation>费用未知</translation>
    </message>
    <message>
        <source>Today: 1 request | %1</source>
        <translation>今日：1 个请求 | %1</translation>
    </message>
    <message>
        <source>Today: %1 requests | %2</source>
        <translation>今日：%1 个请求 | %2</translation>
    </message>
    <message>
        <source>%1 from %2</source>
        <translation>%1（来自 %2）</translation>
    </message>
    <message>
        <source>Request failed: %1</source>
        <translation>请求失败：%1</translation>
    </message>
    <message>
        <source>ChatGPT accounts: %1</source>
        <translation>ChatGPT 账号：%1</translation>
    </message>
</context>
<context>
    <name>PetWindow</name>
    <message>
        <source>AgentGate pet</source>
        <translation>AgentGate 桌宠</translation>
    </message>
    <message>
        <source>Chat…</source>
        <translation>聊天…</translation>
    </message>
    <message>
        <source>Hide pet</source>
        <translation>隐藏桌宠</translation>
    </message>
</context>
<context>
    <name>ProtoMaps</name>
    <message>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <source>%1 min</source>
        <translation>%1 分钟</translation>
    </message>
    <message>
        <source>just now</source>
        <translation>刚刚</translation>
    </message>
    <message>
        <source>%1 s ago</source>
        <translation>%1 秒前</translation>
    </message>
    <message>
        <source>%1 min ago</source>
        <translation>%1 分钟前</translation>
    </message>
    <message>
        <source>%1 h ago</source>
        <translation>%1 小时前</translation>
    </message>
    <message>
        <source>%1 d ago</source>
        <translation>%1 天前</translation>
    </message>
    <message>
        <source>disabled</source>
        <translation>已停用</translation>
    </message>
    <message>
        <source>circuit open, retry in %1</source>
        <translation>已熔断，%1 后重试</translation>
    </message>
    <message>
        <source>circuit open</source>
        <translation>已熔断</translation>
    </message>
    <message>
        <source>half-open: trying again</source>
        <translation>半开：正在重试</translation>
    </message>
    <message>
        <source>cooling down %1</source>
        <translation>冷却中，剩余 %1</translation>
    </message>
    <message>
        <source>healthy</source>
        <translation>健康</translation>
    </message>
    <message>
        <source>testing…</source>
        <translation>测试中…</translation>
    </message>
    <message>
        <source>never tested</source>
        <translation>从未测试</translation>
    </message>
    <message>
        <source>ok %1</source>
        <translation>%1测试正常</translation>
    </message>
    <message>
        <source>failed %1</source>
        <translation>%1测试失败</translation>
    </message>
    <message>
        <source>images</source>
        <translation>图像</translation>
    </message>
    <message>
        <source>thinking</source>
        <translation>思考</translation>
    </message>
    <message>
        <source>tools</source>
        <translation>工具</translation>
    </message>
    <message>
        <source>≥ %1 tools</source>
        <translation>≥ %1 个工具</translation>
    </message>
    <message>
        <source>≥ %1 tokens</source>
        <translation>≥ %1 Token</translation>
    </message>
    <message>
        <source>system: %1</source>
        <translation>系统提示：%1</translation>
    </message>
    <message>
        <source>model: %1</source>
        <translation>模型：%1</translation>
    </message>
    <message>
        <source>Uses the gateway</source>
        <translation>使用网关</translation>
    </message>
    <message>
        <source>Uses the gateway, but not with its current token</source>
        <translation>使用网关，但未使用当前令牌</translation>
    </message>
    <message>
        <source>Set up for the gateway (%1), which is not running</source>
        <translation>已设置为使用网关（%1），但网关未运行</translation>
    </message>
    <message>
        <source>Uses %1</source>
        <translation>使用 %1</translation>
    </message>
    <message>
        <source>Uses its official service</source>
        <translation>使用其官方服务</translation>
    </message>
    <message>
        <source>Not configured yet</source>
        <translation>尚未配置</translation>
    </message>
    <message>
        <source>Cannot read %1</source>
        <translation>无法读取 %1</translation>
    </message>
    <message>
        <source>resets in %1</source>
        <translation>%1 后重置</translation>
    </message>
    <message>
        <source>expires in %1</source>
        <translation>%1 后过期</translation>
    </message>
</context>
<context>
    <name>ProviderEditor</name>
    <message>
        <source>Add provider</source>
        <translation>添加服务商</translation>
    </message>
    <message>
        <source>Edit %1</source>
        <translation>编辑 %1</translation>
    </message>
    <message>
        <source>The name may hold letters, digits, &apos;.&apos;, &apos;_&apos; and &apos;-&apos; (at most 64).</source>
        <translation>名称只能包含字母、数字、“.”、“_”和“-”（最多 64 个）。</translation>
    </message>
    <message>
        <source>Pick a provider type.</source>
        <translation>请选择服务商类型。</translation>
    </message>
    <message>
        <source>Paste the provider&apos;s API key.</source>
        <translation>请粘贴服务商的 API 密钥。</translation>
    </message>
    <message>
        <source>This provider type needs a base URL.</source>
        <translation>此服务商类型需要 Base URL。</translation>
    </message>
    <message>
        <source>URLs start with http:// or https://.</source>
        <translation>URL 需以 http:// 或 https:// 开头。</translation>
    </message>
    <message>
        <source>The timeout is a whole number of seconds.</source>
        <translation>超时必须是整数秒。</translation>
    </message>
    <message>
        <source>The priority is a whole number.</source>
        <translation>优先级必须是整数。</translation>
    </message>
    <message>
        <source>Basic</source>
        <translation>基本</translation>
    </message>
    <message>
        <source>Advanced</source>
        <translation>高级</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>The type of a saved provider stays.</source>
        <translation>已保存服务商的类型不可更改。</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Protocol</source>
        <translation>协议</translation>
    </message>
    <message>
        <source>Base URL</source>
        <translation>Base URL</translation>
    </message>
    <message>
        <source>API key(s)</source>
        <translation>API 密钥</translation>
    </message>
    <message>
        <source>Replace API key(s)</source>
        <translation>替换 API 密钥</translation>
    </message>
    <message>
        <source>One key per line; several keys are used in turn.</source>
        <translation>每行一个密钥；多个密钥将轮流使用。</translation>
    </message>
    <message>
        <source>Stored: %1. Leave empty to keep them; keys typed here replace them all.</source>
        <translation>已存储：%1。留空则保留；此处填写的密钥将替换全部已存密钥。</translation>
    </message>
    <message>
        <source>No key stored. One key per line.</source>
        <translation>未存储密钥。每行一个密钥。</translation>
    </message>
    <message>
        <source>Leave empty to keep the stored keys</source>
        <translation>留空以保留已存储的密钥</translation>
    </message>
    <message>
        <source>Default model</source>
        <translation>默认模型</translation>
    </message>
    <message>
        <source>Sent when a client&apos;s model is not mapped</source>
        <translation>客户端的模型未映射时发送此模型</translation>
    </message>
    <message>
        <source>Reasoning model</source>
        <translation>推理模型</translation>
    </message>
    <message>
        <source>Used when thinking is asked for</source>
        <translation>请求要求思考时使用</translation>
    </message>
    <message>
        <source>optional</source>
        <translation>可选</translation>
    </message>
    <message>
        <source>Fetch models</source>
        <translation>获取模型</translation>
    </message>
    <message>
        <source>Save the provider first to fetch its models.</source>
        <translation>请先保存服务商，再获取其模型。</translation>
    </message>
    <message>
        <source>Models fetched: %1. Pick one from the lists above.</source>
        <translation>已获取模型：%1。请从上方列表中选择。</translation>
    </message>
    <message>
        <source>Timeout (seconds)</source>
        <translation>超时（秒）</translation>
    </message>
    <message>
        <source>To the first byte, then between bytes</source>
        <translation>首字节前的等待时间，以及字节之间的间隔</translation>
    </message>
    <message>
        <source>300 (default)</source>
        <translation>300（默认）</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>优先级</translation>
    </message>
    <message>
        <source>Lower is tried first in new routes</source>
        <translation>数值越小，在新路由中越先尝试</translation>
    </message>
    <message>
        <source>Enabled</source>
        <translation>启用</translation>
    </message>
    <message>
        <source>Model mapping</source>
        <translation>模型映射</translation>
    </message>
    <message>
        <source>A client&apos;s model → this provider&apos;s model; * matches any model.</source>
        <translation>客户端的模型 → 此服务商的模型；* 匹配任意模型。</translation>
    </message>
    <message>
        <source>+ Add mapping</source>
        <translation>+ 添加映射</translation>
    </message>
    <message>
        <source>Anthropic Messages URL</source>
        <translation>Anthropic Messages URL</translation>
    </message>
    <message>
        <source>Claude Code&apos;s requests pass through unchanged to this endpoint.</source>
        <translation>Claude Code 的请求会原样透传到此端点。</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Responses URL</source>
        <translation>Responses URL</translation>
    </message>
    <message>
        <source>Codex&apos;s Responses requests pass through unchanged to this endpoint.</source>
        <translation>Codex 的 Responses 请求会原样透传到此端点。</translation>
    </message>
    <message>
        <source>Extra headers</source>
        <translation>额外请求头</translation>
    </message>
    <message>
        <source>Sent with every request. Keys belong in the key box, not here.</source>
        <translation>随每个请求发送。密钥请填在密钥框中，不要填在这里。</translation>
    </message>
    <message>
        <source>value</source>
        <translation>值</translation>
    </message>
    <message>
        <source>+ Add header</source>
        <translation>+ 添加请求头</translation>
    </message>
    <message>
        <source>Connection test (of the saved settings)</source>
        <translation>连接测试（针对已保存的设置）</translation>
    </message>
    <message>
        <source>Test connection</source>
        <translation>测试连接</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
</context>
<context>
    <name>ProvidersPage</name>
    <message>
        <source>Providers</source>
        <translation>服务商</translation>
    </message>
    <message>
        <source>Where requests go. Keys are stored encrypted and never shown again.</source>
        <translation>请求的去向。密钥加密存储，且不会再次显示。</translation>
    </message>
    <message>
        <source>Add provider</source>
        <translation>添加服务商</translation>
    </message>
    <message>
        <source>Providers are kept by the gateway: start it to see and change them.</source>
        <translation>服务商由网关保存：启动网关即可查看和修改。</translation>
    </message>
    <message>
        <source>No providers yet — add one or use Quick Setup</source>
        <translation>暂无服务商 — 添加一个，或使用快速设置</translation>
    </message>
    <message>
        <source>Paste a key from DeepSeek, OpenAI, Anthropic, Gemini, Kimi, OpenRouter or any OpenAI-compatible endpoint.</source>
        <translation>粘贴来自 DeepSeek、OpenAI、Anthropic、Gemini、Kimi、OpenRouter 或任何 OpenAI 兼容端点的密钥。</translation>
    </message>
    <message>
        <source>Quick Setup</source>
        <translation>快速设置</translation>
    </message>
    <message>
        <source>healthy</source>
        <translation>健康</translation>
    </message>
    <message>
        <source>disabled</source>
        <translation>已停用</translation>
    </message>
    <message>
        <source>Vision</source>
        <translation>支持图像</translation>
    </message>
    <message>
        <source>No Vision</source>
        <translation>不支持图像</translation>
    </message>
    <message>
        <source>Prompt cache</source>
        <translation>提示缓存</translation>
    </message>
    <message>
        <source>%1 keys</source>
        <translation>%1 个密钥</translation>
    </message>
    <message>
        <source>Native endpoints</source>
        <translation>原生端点</translation>
    </message>
    <message>
        <source>Base URL</source>
        <translation>Base URL</translation>
    </message>
    <message>
        <source>Default model</source>
        <translation>默认模型</translation>
    </message>
    <message>
        <source>reasoning: %1</source>
        <translation>推理：%1</translation>
    </message>
    <message>
        <source>Keys</source>
        <translation>密钥</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Last test</source>
        <translation>最近测试</translation>
    </message>
    <message>
        <source>testing…</source>
        <translation>测试中…</translation>
    </message>
    <message>
        <source>ok just now</source>
        <translation>刚刚测试正常</translation>
    </message>
    <message>
        <source>failed just now</source>
        <translation>刚刚测试失败</translation>
    </message>
    <message>
        <source>never tested</source>
        <translation>从未测试</translation>
    </message>
    <message>
        <source>Test connection</source>
        <translation>测试连接</translation>
    </message>
    <message>
        <source>Edit</source>
        <translation>编辑</translation>
    </message>
    <message>
        <source>Reset health</source>
        <translation>重置健康状态</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Delete %1?</source>
        <translation>删除 %1？</translation>
    </message>
    <message>
        <source>The provider, its keys and the route rules that name it are removed. Clients keep working through the other providers.</source>
        <translation>该服务商、其密钥以及引用它的路由规则都将被删除。客户端会继续通过其他服务商工作。</translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <source>Show AgentGate</source>
        <translation>显示 AgentGate</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>Stop gateway</source>
        <translation>停止网关</translation>
    </message>
    <message>
        <source>Start gateway</source>
        <translation>启动网关</translation>
    </message>
    <message>
        <source>Hide pet</source>
        <translation>隐藏桌宠</translation>
    </message>
    <message>
        <source>Show pet</source>
        <translation>显示桌宠</translation>
    </message>
</context>
<context>
    <name>QuickSetupPage</name>
    <message>
        <source>Quick Setup</source>
        <translation>快速设置</translation>
    </message>
    <message>
        <source>From an API key to working agents in one step.</source>
        <translation>从 API 密钥到可用的智能体，一步完成。</translation>
    </message>
    <message>
        <source>Providers set up already: %1. This adds one more; Settings can hide Quick Setup again.</source>
        <translation>已设置的服务商：%1。此操作会再添加一个；可在“设置”中再次隐藏快速设置。</translation>
    </message>
    <message>
        <source>1  Paste your API key</source>
        <translation>1  粘贴你的 API 密钥</translation>
    </message>
    <message>
        <source>It is stored encrypted by your gateway and never leaves this machine except to its provider.</source>
        <translation>它由你的网关加密存储，除了发送给对应服务商外，绝不会离开本机。</translation>
    </message>
    <message>
        <source>Hide</source>
        <translation>隐藏</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>显示</translation>
    </message>
    <message>
        <source>Detected: %1</source>
        <translation>已识别：%1</translation>
    </message>
    <message>
        <source>Not recognised</source>
        <translation>无法识别</translation>
    </message>
    <message>
        <source>Pick the provider this key belongs to:</source>
        <translation>请选择此密钥所属的服务商：</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>请选择…</translation>
    </message>
    <message>
        <source>A custom OpenAI-compatible endpoint needs its base URL: add it on the Providers page.</source>
        <translation>自定义 OpenAI 兼容端点需要 Base URL：请在“服务商”页面添加。</translation>
    </message>
    <message>
        <source>2  Pick the agents that should use it</source>
        <translation>2  选择要使用它的智能体</translation>
    </message>
    <message>
        <source>Their config files get AgentGate&apos;s address and token; the originals are kept, and you can switch back on the Clients page.</source>
        <translation>它们的配置文件会写入 AgentGate 的地址和令牌；原始文件会保留，你可以在“客户端”页面恢复。</translation>
    </message>
    <message>
        <source>Looking for installed agents…</source>
        <translation>正在查找已安装的智能体…</translation>
    </message>
    <message>
        <source>installed</source>
        <translation>已安装</translation>
    </message>
    <message>
        <source>not installed yet</source>
        <translation>尚未安装</translation>
    </message>
    <message>
        <source>3  Set up</source>
        <translation>3  设置</translation>
    </message>
    <message>
        <source>Adds the provider, tests it, then points the agents at the gateway.</source>
        <translation>添加服务商并测试，然后让智能体指向网关。</translation>
    </message>
    <message>
        <source>The gateway is started first, then the provider is added and tested, and the agents are pointed at it.</source>
        <translation>先启动网关，再添加并测试服务商，最后让智能体指向网关。</translation>
    </message>
    <message>
        <source>Try again</source>
        <translation>重试</translation>
    </message>
    <message>
        <source>Set up</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Paste a key first.</source>
        <translation>请先粘贴密钥。</translation>
    </message>
    <message>
        <source>Pick the provider of the key.</source>
        <translation>请选择密钥所属的服务商。</translation>
    </message>
    <message>
        <source>No agent picked: only the provider is added.</source>
        <translation>未选择智能体：只添加服务商。</translation>
    </message>
    <message>
        <source>Agents to set up: %1.</source>
        <translation>要设置的智能体：%1。</translation>
    </message>
    <message>
        <source>Add provider</source>
        <translation>添加服务商</translation>
    </message>
    <message>
        <source>Test</source>
        <translation>测试</translation>
    </message>
    <message>
        <source>Configure agents</source>
        <translation>配置智能体</translation>
    </message>
    <message>
        <source>All set. Your agents now go through AgentGate.</source>
        <translation>全部完成。你的智能体现在通过 AgentGate 工作。</translation>
    </message>
    <message>
        <source>The setup did not finish.</source>
        <translation>设置未完成。</translation>
    </message>
    <message>
        <source>Go to Overview</source>
        <translation>前往概览</translation>
    </message>
</context>
<context>
    <name>RoutesPage</name>
    <message>
        <source>Routes</source>
        <translation>路由</translation>
    </message>
    <message>
        <source>Which providers serve each client, in what order, and on what conditions.</source>
        <translation>每个客户端由哪些服务商提供服务、按什么顺序、在什么条件下。</translation>
    </message>
    <message>
        <source>not a provider</source>
        <translation>服务商不存在</translation>
    </message>
    <message>
        <source>New profile</source>
        <translation>新建配置</translation>
    </message>
    <message>
        <source>Route profiles are kept by the gateway: start it to see and change them.</source>
        <translation>路由配置由网关保存：启动网关即可查看和修改。</translation>
    </message>
    <message>
        <source>No route profiles yet.</source>
        <translation>暂无路由配置。</translation>
    </message>
    <message>
        <source>default</source>
        <translation>默认</translation>
    </message>
    <message>
        <source>manual</source>
        <translation>手动</translation>
    </message>
    <message>
        <source>failover</source>
        <translation>故障转移</translation>
    </message>
    <message>
        <source>The default profile for %1</source>
        <translation>%1 的默认配置</translation>
    </message>
    <message>
        <source>A profile for %1, chosen with the header x-agentgate-route: %2</source>
        <translation>%1 的一个配置，通过请求头 x-agentgate-route: %2 选用</translation>
    </message>
    <message>
        <source>Delete profile</source>
        <translation>删除配置</translation>
    </message>
    <message>
        <source>Failover</source>
        <translation>故障转移</translation>
    </message>
    <message>
        <source>Manual</source>
        <translation>手动</translation>
    </message>
    <message>
        <source>Only the first provider of the chain that can take the request is used.</source>
        <translation>只使用链中第一个能处理该请求的服务商。</translation>
    </message>
    <message>
        <source>The chain in order: when a provider fails, the next one is tried.</source>
        <translation>按顺序使用链：某个服务商失败时，尝试下一个。</translation>
    </message>
    <message>
        <source>Chain</source>
        <translation>链</translation>
    </message>
    <message>
        <source>Drag the handle or use the arrows to change the order; the first is tried first.</source>
        <translation>拖动手柄或使用箭头调整顺序；排在最前的最先尝试。</translation>
    </message>
    <message>
        <source>The chain is empty: requests of this profile have nowhere to go. Add a provider below.</source>
        <translation>链为空：此配置的请求无处可去。请在下方添加服务商。</translation>
    </message>
    <message>
        <source>No providers yet — add one on the Providers page, and it joins every chain.</source>
        <translation>暂无服务商 — 请在“服务商”页面添加，它会加入每条链。</translation>
    </message>
    <message>
        <source>Go to Providers</source>
        <translation>前往服务商</translation>
    </message>
    <message>
        <source>Add to chain</source>
        <translation>添加到链</translation>
    </message>
    <message>
        <source>Rules</source>
        <translation>规则</translation>
    </message>
    <message>
        <source>The first rule that matches a request sends it to its provider first; then the chain.</source>
        <translation>第一条匹配请求的规则会先将请求发送到其服务商，然后再按链处理。</translation>
    </message>
    <message>
        <source>Add rule</source>
        <translation>添加规则</translation>
    </message>
    <message>
        <source>No rules: every request follows the chain. Add one to send image requests, long prompts or reasoning to the provider best at them.</source>
        <translation>没有规则：所有请求都按链处理。添加规则可将图像请求、长提示词或推理请求发送到最擅长的服务商。</translation>
    </message>
    <message>
        <source>off</source>
        <translation>已停用</translation>
    </message>
    <message>
        <source>when %1</source>
        <translation>当 %1 时</translation>
    </message>
    <message>
        <source>Edit</source>
        <translation>编辑</translation>
    </message>
    <message>
        <source>Delete the profile %1?</source>
        <translation>删除配置 %1？</translation>
    </message>
    <message>
        <source>Requests that name it with x-agentgate-route will get the default profile of their client.</source>
        <translation>通过 x-agentgate-route 指定它的请求将改用其客户端的默认配置。</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>New route profile</source>
        <translation>新建路由配置</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Clients pick it with the header x-agentgate-route: NAME</source>
        <translation>客户端通过请求头 x-agentgate-route: NAME 选用它</translation>
    </message>
    <message>
        <source>cheap</source>
        <translation>cheap</translation>
    </message>
    <message>
        <source>Client</source>
        <translation>客户端</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Create</source>
        <translation>创建</translation>
    </message>
    <message>
        <source>Letters, digits, &apos;.&apos;, &apos;_&apos; and &apos;-&apos; only (at most 64).</source>
        <translation>只能包含字母、数字、“.”、“_”和“-”（最多 64 个）。</translation>
    </message>
    <message>
        <source>A profile called %1 exists already.</source>
        <translation>名为 %1 的配置已存在。</translation>
    </message>
    <message>
        <source>Mid-stream failover</source>
        <translation>流中故障转移</translation>
    </message>
    <message>
        <source>When a provider cuts an answer it has begun streaming, the next one continues it in the same stream (not inside a tool call). Streams of the client&apos;s own protocol are then converted rather than passed through.</source>
        <translation>服务商在流式输出中途断开时，由下一个服务商在同一个流中接着写（工具调用内除外）。此时客户端自身协议的流会经过转换而不是直通。</translation>
    </message>
</context>
<context>
    <name>RuleEditor</name>
    <message>
        <source>Add rule</source>
        <translation>添加规则</translation>
    </message>
    <message>
        <source>Edit rule %1</source>
        <translation>编辑规则 %1</translation>
    </message>
    <message>
        <source>Give the rule a name: letters, digits, &apos;.&apos;, &apos;_&apos; and &apos;-&apos;.</source>
        <translation>请为规则命名：可使用字母、数字、“.”、“_”和“-”。</translation>
    </message>
    <message>
        <source>Another rule of this route is called %1.</source>
        <translation>此路由中已有另一条规则名为 %1。</translation>
    </message>
    <message>
        <source>Pick the provider that matching requests go to.</source>
        <translation>请选择匹配的请求要发送到的服务商。</translation>
    </message>
    <message>
        <source>Pick a scene or set at least one condition: a rule without either matches every request.</source>
        <translation>请选择一个场景或至少设置一个条件：两者都没有的规则会匹配所有请求。</translation>
    </message>
    <message>
        <source>Input tokens is a whole number.</source>
        <translation>输入 Token 必须是整数。</translation>
    </message>
    <message>
        <source>The number of tools is a whole number.</source>
        <translation>工具数量必须是整数。</translation>
    </message>
    <message>
        <source>Rule name</source>
        <translation>规则名称</translation>
    </message>
    <message>
        <source>pictures</source>
        <translation>pictures</translation>
    </message>
    <message>
        <source>Enabled</source>
        <translation>启用</translation>
    </message>
    <message>
        <source>Scene</source>
        <translation>场景</translation>
    </message>
    <message>
        <source>A preset condition. Conditions below add to it: all must hold.</source>
        <translation>预设条件。下方的条件会叠加在其上：必须全部满足。</translation>
    </message>
    <message>
        <source>No scene</source>
        <translation>无场景</translation>
    </message>
    <message>
        <source>Only the conditions below.</source>
        <translation>仅使用下方的条件。</translation>
    </message>
    <message>
        <source>Conditions of its own</source>
        <translation>自定义条件</translation>
    </message>
    <message>
        <source>Optional. Every condition that is set must hold.</source>
        <translation>可选。所有已设置的条件都必须满足。</translation>
    </message>
    <message>
        <source>Has images</source>
        <translation>包含图像</translation>
    </message>
    <message>
        <source>Asks for thinking</source>
        <translation>要求思考</translation>
    </message>
    <message>
        <source>Has tools</source>
        <translation>包含工具</translation>
    </message>
    <message>
        <source>At least this many input tokens</source>
        <translation>输入 Token 至少为</translation>
    </message>
    <message>
        <source>e.g. 100000</source>
        <translation>例如 100000</translation>
    </message>
    <message>
        <source>At least this many tools</source>
        <translation>工具数量至少为</translation>
    </message>
    <message>
        <source>e.g. 8</source>
        <translation>例如 8</translation>
    </message>
    <message>
        <source>System prompt mentions</source>
        <translation>系统提示词包含</translation>
    </message>
    <message>
        <source>Any of these words, comma-separated</source>
        <translation>以下任意词语，用逗号分隔</translation>
    </message>
    <message>
        <source>refactor, migrate</source>
        <translation>refactor, migrate</translation>
    </message>
    <message>
        <source>Requested model contains</source>
        <translation>请求的模型包含</translation>
    </message>
    <message>
        <source>opus, gpt-5</source>
        <translation>opus, gpt-5</translation>
    </message>
    <message>
        <source>Send to provider</source>
        <translation>发送到服务商</translation>
    </message>
    <message>
        <source>No providers</source>
        <translation>无服务商</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Empty: the provider&apos;s mapping of the requested model</source>
        <translation>留空：使用该服务商对所请求模型的映射</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Save rule</source>
        <translation>保存规则</translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>How the app looks and behaves; the gateway&apos;s token and budget.</source>
        <translation>应用的外观与行为；网关的令牌与预算。</translation>
    </message>
    <message>
        <source>Appearance</source>
        <translation>外观</translation>
    </message>
    <message>
        <source>Theme</source>
        <translation>主题</translation>
    </message>
    <message>
        <source>Dark in warm amber, or light in clean grey.</source>
        <translation>深色为暖琥珀色调，浅色为简洁灰色调。</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>深色</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>浅色</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>Desktop pet</source>
        <translation>桌宠</translation>
    </message>
    <message>
        <source>A small companion on your desktop that reacts to requests, errors and the gateway starting and stopping.</source>
        <translation>桌面上的小伙伴，会对请求、错误以及网关的启动和停止做出反应。</translation>
    </message>
    <message>
        <source>Show the pet</source>
        <translation>显示桌宠</translation>
    </message>
    <message>
        <source>Character</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>Start-up and window</source>
        <translation>启动与窗口</translation>
    </message>
    <message>
        <source>Start AgentGate when I log in</source>
        <translation>登录时启动 AgentGate</translation>
    </message>
    <message>
        <source>Starts in the tray, without the window.</source>
        <translation>启动后驻留系统托盘，不打开窗口。</translation>
    </message>
    <message>
        <source>Keep running in the tray when the window is closed</source>
        <translation>关闭窗口后继续在系统托盘中运行</translation>
    </message>
    <message>
        <source>Otherwise closing the window quits the app. The gateway keeps running either way.</source>
        <translation>否则关闭窗口会退出应用。无论哪种方式，网关都会继续运行。</translation>
    </message>
    <message>
        <source>Show Quick Setup</source>
        <translation>显示快速设置</translation>
    </message>
    <message>
        <source>Quick Setup hides itself once a provider exists; turn this on to use it again.</source>
        <translation>添加服务商后快速设置会自动隐藏；开启此项可再次使用。</translation>
    </message>
    <message>
        <source>Gateway access</source>
        <translation>网关访问</translation>
    </message>
    <message>
        <source>Agents authenticate to the gateway with this local token. It is kept in %1.</source>
        <translation>智能体使用此本地令牌向网关进行身份验证。它保存在 %1 中。</translation>
    </message>
    <message>
        <source>not known yet: start the gateway</source>
        <translation>暂不可知：请启动网关</translation>
    </message>
    <message>
        <source>Hide</source>
        <translation>隐藏</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>显示</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Regenerate…</source>
        <translation>重新生成…</translation>
    </message>
    <message>
        <source>Token file</source>
        <translation>令牌文件</translation>
    </message>
    <message>
        <source>Only tell me</source>
        <translation>仅通知我</translation>
    </message>
    <message>
        <source>Block requests</source>
        <translation>拦截请求</translation>
    </message>
    <message>
        <source>Use the cheapest provider</source>
        <translation>使用最便宜的服务商</translation>
    </message>
    <message>
        <source>Daily budget</source>
        <translation>每日预算</translation>
    </message>
    <message>
        <source>%1 of %2 spent today.</source>
        <translation>今日已花费 %1，预算 %2。</translation>
    </message>
    <message>
        <source>No budget: requests are never limited by cost.</source>
        <translation>无预算：请求永远不会因费用而受限。</translation>
    </message>
    <message>
        <source>Limit per day (US dollars)</source>
        <translation>每日限额（美元）</translation>
    </message>
    <message>
        <source>e.g. 5</source>
        <translation>例如 5</translation>
    </message>
    <message>
        <source>When it is spent</source>
        <translation>用完后</translation>
    </message>
    <message>
        <source>Remove budget</source>
        <translation>移除预算</translation>
    </message>
    <message>
        <source>Save budget</source>
        <translation>保存预算</translation>
    </message>
    <message>
        <source>Regenerate the local token?</source>
        <translation>重新生成本地令牌？</translation>
    </message>
    <message>
        <source>The old token stops working at once. Clients configured with it fail until you apply them again on the Clients page.</source>
        <translation>旧令牌将立即失效。使用旧令牌配置的客户端将无法工作，直到你在“客户端”页面重新应用。</translation>
    </message>
    <message>
        <source>Regenerate</source>
        <translation>重新生成</translation>
    </message>
    <message>
        <source>Backups</source>
        <translation>备份</translation>
    </message>
    <message>
        <source>The gateway makes one a day by itself and keeps the newest %1, in %2. To restore, stop the gateway and run: agentgatectl backup restore NAME</source>
        <translation>网关每天自动备份一次，保留最新的 %1 份，位于 %2。恢复时请先停止网关，然后运行：agentgatectl backup restore NAME</translation>
    </message>
    <message>
        <source>Providers, keys, routes, accounts and records, copied while the gateway serves. To restore, stop the gateway and run: agentgatectl backup restore NAME</source>
        <translation>提供商、密钥、路由、账号和记录，在网关运行时复制。恢复时请先停止网关，然后运行：agentgatectl backup restore NAME</translation>
    </message>
    <message>
        <source>Passphrase (optional: then the backup restores on any machine)</source>
        <translation>口令（可选：设置后备份可在任何机器上恢复）</translation>
    </message>
    <message>
        <source>Back up now</source>
        <translation>立即备份</translation>
    </message>
    <message>
        <source>unreadable</source>
        <translation>无法读取</translation>
    </message>
    <message>
        <source>passphrase</source>
        <translation>口令</translation>
    </message>
    <message>
        <source>master key</source>
        <translation>主密钥</translation>
    </message>
</context>
<context>
    <name>ToolboxPage</name>
    <message>
        <source>MCP &amp; Skills</source>
        <translation>MCP 与技能</translation>
    </message>
    <message>
        <source>Added once, here: every coding agent on this machine gets them in its own configuration, and loses them cleanly when you remove them.</source>
        <translation>在这里添加一次：本机的每个编程智能体都会以自己的配置格式获得它们；移除时也干净利落。</translation>
    </message>
    <message>
        <source>its own</source>
        <translation>自有</translation>
    </message>
    <message>
        <source>not yet</source>
        <translation>尚未写入</translation>
    </message>
    <message>
        <source>cannot</source>
        <translation>不支持</translation>
    </message>
    <message>
        <source>Import from clients</source>
        <translation>从客户端导入</translation>
    </message>
    <message>
        <source>Write into clients</source>
        <translation>写入客户端</translation>
    </message>
    <message>
        <source>Add an MCP server</source>
        <translation>添加 MCP 服务器</translation>
    </message>
    <message>
        <source>A command the agents start (stdio), or the address of a remote server (streamable HTTP; tick SSE for the older transport, which Codex does not speak).</source>
        <translation>由智能体启动的命令（stdio），或远程服务器的地址（可流式 HTTP；旧的 SSE 传输请勾选 SSE，Codex 不支持它）。</translation>
    </message>
    <message>
        <source>name, e.g. github</source>
        <translation>名称，例如 github</translation>
    </message>
    <message>
        <source>npx -y @modelcontextprotocol/server-github   or   https://…/mcp</source>
        <translation>npx -y @modelcontextprotocol/server-github   或   https://…/mcp</translation>
    </message>
    <message>
        <source>SSE</source>
        <translation>SSE</translation>
    </message>
    <message>
        <source>headers, one a line: Authorization: Bearer …</source>
        <translation>请求头，每行一个：Authorization: Bearer …</translation>
    </message>
    <message>
        <source>environment, one a line: GITHUB_TOKEN=…</source>
        <translation>环境变量，每行一个：GITHUB_TOKEN=…</translation>
    </message>
    <message>
        <source>Add and write into clients</source>
        <translation>添加并写入客户端</translation>
    </message>
    <message>
        <source>No MCP servers yet</source>
        <translation>还没有 MCP 服务器</translation>
    </message>
    <message>
        <source>Add one above, or import those your clients have already.</source>
        <translation>在上方添加，或导入客户端中已有的服务器。</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>Add a skill</source>
        <translation>添加技能</translation>
    </message>
    <message>
        <source>A folder with a SKILL.md (front matter with a name and a description), copied into each agent&apos;s skills folder.</source>
        <translation>一个含 SKILL.md 的文件夹（前置信息需有 name 和 description），会复制到每个智能体的技能文件夹。</translation>
    </message>
    <message>
        <source>/path/to/my-skill</source>
        <translation>/path/to/my-skill</translation>
    </message>
    <message>
        <source>Add and copy into clients</source>
        <translation>添加并复制到客户端</translation>
    </message>
    <message>
        <source>Clients</source>
        <translation>客户端</translation>
    </message>
    <message>
        <source>Where each agent keeps them. Written into those installed or configured here.</source>
        <translation>各智能体存放它们的位置。会写入本机已安装或已配置的客户端。</translation>
    </message>
    <message>
        <source>not installed</source>
        <translation>未安装</translation>
    </message>
    <message>
        <source>its own: %1</source>
        <translation>自有：%1</translation>
    </message>
    <message>
        <source>Take ours out</source>
        <translation>移除网关写入的项</translation>
    </message>
    <message>
        <source>1 file</source>
        <translation>1 个文件</translation>
    </message>
    <message>
        <source>%1 files</source>
        <translation>%1 个文件</translation>
    </message>
</context>
</TS>
