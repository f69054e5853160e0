// Fixed lists the pages offer: provider presets, protocols, client protocols, routing scenes and
// the four clients. Create one where needed (`Catalog { id: catalog }`).
import QtQuick

QtObject {
    // The presets `agentgatectl provider types` knows (README › agentgatectl).
    readonly property var providerTypes: [
        { value: "deepseek", text: "DeepSeek" },
        { value: "openai", text: "OpenAI" },
        { value: "anthropic", text: "Anthropic" },
        { value: "google_gemini", text: "Google Gemini" },
        { value: "kimi", text: "Kimi (Moonshot)" },
        { value: "minimax", text: "MiniMax" },
        { value: "groq", text: "Groq" },
        { value: "together", text: "Together AI" },
        { value: "xai", text: "xAI" },
        { value: "mistral", text: "Mistral" },
        { value: "openrouter", text: "OpenRouter" },
        { value: "dashscope", text: "DashScope (Qwen)" },
        { value: "zhipu", text: "Zhipu (GLM)" },
        { value: "siliconflow", text: "SiliconFlow" },
        { value: "ollama", text: "Ollama" },
        { value: "lmstudio", text: "LM Studio" },
        { value: "vllm", text: "vLLM" },
        { value: "custom_openai_compatible", text: qsTr("Custom (OpenAI-compatible)") }
    ]
    function typeTitle(type) {
        for (const t of providerTypes)
            if (t.value === type) return t.text
        return type === undefined || type === null ? "" : String(type)
    }
    function typeIndex(type) {
        for (let i = 0; i < providerTypes.length; ++i)
            if (providerTypes[i].value === type) return i
        return -1
    }

    // The wire protocol a provider speaks ("" = the preset's).
    readonly property var protocols: [
        { value: "", text: qsTr("Preset default") },
        { value: "openai_chat", text: qsTr("OpenAI Chat Completions") },
        { value: "anthropic", text: qsTr("Anthropic Messages") },
        { value: "gemini", text: qsTr("Google Gemini") }
    ]
    function protocolTitle(p) {
        for (const t of protocols)
            if (t.value === p && p !== "") return t.text
        return p === undefined || p === null ? "" : String(p)
    }
    function protocolIndex(p) {
        for (let i = 0; i < protocols.length; ++i)
            if (protocols[i].value === p) return i
        return 0
    }

    // Route profiles are per client protocol.
    readonly property var routeClients: [
        { value: "claude", text: qsTr("Claude Code") },
        { value: "codex", text: qsTr("Codex CLI") },
        { value: "gemini", text: qsTr("Gemini CLI") },
        { value: "chat", text: qsTr("OpenCode & Chat API") }
    ]
    function routeClientTitle(c) {
        for (const t of routeClients)
            if (t.value === c) return t.text
        return c === undefined || c === null ? "" : String(c)
    }

    // Preset scenes of a routing rule (admin.proto RouteRule.scene).
    readonly property var scenes: [
        { value: "image", text: qsTr("Image requests"),
          hint: qsTr("The request carries images.") },
        { value: "reasoning", text: qsTr("Reasoning"),
          hint: qsTr("Thinking / reasoning is asked for.") },
        { value: "background", text: qsTr("Background"),
          hint: qsTr("Small, fast models: haiku, -mini, -nano, flash-lite.") },
        { value: "long_text", text: qsTr("Long text"),
          hint: qsTr("60k or more estimated input tokens.") },
        { value: "tool_heavy", text: qsTr("Tool-heavy"),
          hint: qsTr("20 or more tools declared.") }
    ]
    function sceneTitle(s) {
        for (const t of scenes)
            if (t.value === s) return t.text
        return s === undefined || s === null ? "" : String(s)
    }

    // The steps of a connection test, in order, with their titles.
    function stepTitle(name) {
        switch (String(name)) {
        case "config": return qsTr("Config")
        case "gateway": return qsTr("Gateway")
        case "provider": return qsTr("Provider")
        case "vision": return qsTr("Vision")
        case "prompt_cache": return qsTr("Prompt cache")
        case "models": return qsTr("Models")
        case "test": return qsTr("Test")
        case "clients": return qsTr("Clients")
        case "done": return qsTr("Done")
        }
        return String(name)
    }

    // The outcome of one upstream attempt (admin.proto AttemptSummary.outcome).
    function outcomeTitle(o) {
        switch (String(o)) {
        case "success": return qsTr("success")
        case "http_error": return qsTr("HTTP error")
        case "connect_error": return qsTr("connection error")
        case "timeout": return qsTr("timeout")
        case "stream_cut": return qsTr("stream cut")
        }
        return o === undefined || o === null ? "" : String(o)
    }
}
