// MCP & Skills: one list of MCP servers and one of skills, kept by the gateway and written into
// Codex, Claude Code, Gemini CLI and OpenCode in each one's own format (only the gateway's own
// entries; a client's own of the same name is left alone). Per server and skill, where it
// stands in each client; per client, its files, what it has of its own, and "take ours out".
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import AgentGate.Backend
import AgentGate.Ui

ScrollPage {
    id: page
    objectName: "toolboxPage"

    title: qsTr("MCP & Skills")
    subtitle: qsTr("Added once, here: every coding agent on this machine gets them in its own configuration, and loses them cleanly when you remove them.")

    Component.onCompleted: Backend.refreshToolbox()

    function stateText(s) {
        return s === "ours" ? "✓" : s === "own" ? qsTr("its own") : s === "missing" ? qsTr("not yet")
             : s === "cannot" ? qsTr("cannot") : "–"
    }
    function stateKind(s) {
        return s === "ours" ? "ok" : s === "own" ? "accent" : s === "missing" ? "warn"
             : s === "cannot" ? "error" : "neutral"
    }
    // "NAME=value" lines to [{name, value}].
    function pairs(text, sep) {
        var out = []
        text.split("\n").forEach(function(line) {
            var at = line.indexOf(sep)
            if (at > 0) out.push({ name: line.substring(0, at).trim(), value: line.substring(at + 1).trim() })
        })
        return out
    }

    actions: [
        ActionButton {
            objectName: "toolboxImport"
            text: qsTr("Import from clients")
            enabled: Backend.connected
            onClicked: Backend.importToolbox()
        },
        ActionButton {
            objectName: "toolboxSync"
            kind: "primary"
            text: qsTr("Write into clients")
            enabled: Backend.connected
            onClicked: Backend.syncToolbox()
        }
    ]

    Card {
        Layout.fillWidth: true
        padding: 14
        SectionHeader {
            title: qsTr("Add an MCP server")
            subtitle: qsTr("A command the agents start (stdio), or the address of a remote server (streamable HTTP; tick SSE for the older transport, which Codex does not speak).")
        }
        RowLayout {
            Layout.fillWidth: true
            spacing: 8
            InputField {
                id: mcpName
                objectName: "mcpName"
                Layout.preferredWidth: 180
                placeholderText: qsTr("name, e.g. github")
            }
            InputField {
                id: mcpTarget
                objectName: "mcpTarget"
                Layout.fillWidth: true
                mono: true
                placeholderText: qsTr("npx -y @modelcontextprotocol/server-github   or   https://…/mcp")
            }
            TickBox {
                id: mcpSse
                text: qsTr("SSE")
                visible: mcpTarget.text.trim().startsWith("http")
            }
        }
        InputArea {
            id: mcpEnv
            objectName: "mcpEnv"
            Layout.fillWidth: true
            implicitHeight: 60
            mono: true
            placeholderText: mcpTarget.text.trim().startsWith("http")
                             ? qsTr("headers, one a line: Authorization: Bearer …")
                             : qsTr("environment, one a line: GITHUB_TOKEN=…")
        }
        ActionButton {
            objectName: "mcpAdd"
            kind: "primary"
            text: qsTr("Add and write into clients")
            enabled: Backend.connected && mcpName.text.trim() !== "" && mcpTarget.text.trim() !== ""
            onClicked: {
                var target = mcpTarget.text.trim()
                var remote = target.startsWith("http://") || target.startsWith("https://")
                var words = target.split(/\s+/)
                Backend.addMcpServer({
                    name: mcpName.text.trim(),
                    url: remote ? target : "",
                    sse: remote && mcpSse.checked,
                    command: remote ? "" : words[0],
                    args: remote ? [] : words.slice(1),
                    env: remote ? [] : page.pairs(mcpEnv.text, "="),
                    headers: remote ? page.pairs(mcpEnv.text, ":") : []
                })
            }
        }
    }

    EmptyState {
        Layout.fillWidth: true
        visible: Backend.mcpServers.length === 0
        title: qsTr("No MCP servers yet")
        text: qsTr("Add one above, or import those your clients have already.")
    }

    Repeater {
        model: Backend.mcpServers
        delegate: Card {
            id: server
            required property var modelData
            objectName: "mcpCard_" + modelData.name
            Layout.fillWidth: true
            spacing: 8
            RowLayout {
                Layout.fillWidth: true
                spacing: 10
                ColumnLayout {
                    Layout.fillWidth: true
                    spacing: 1
                    Label {
                        text: server.modelData.name
                        color: Theme.text
                        font.bold: true
                    }
                    Label {
                        Layout.fillWidth: true
                        text: server.modelData.runs
                              + (server.modelData.envNames.length > 0 ? "  [" + server.modelData.envNames.join(" ") + "]" : "")
                              + (server.modelData.headerNames.length > 0 ? "  [" + server.modelData.headerNames.join(": ") + ":]" : "")
                        color: Theme.textMuted
                        font.family: Theme.mono
                        font.pixelSize: Theme.smallFont
                        elide: Text.ElideMiddle
                    }
                }
                Badge { text: server.modelData.transport; kind: "neutral" }
                Toggle {
                    objectName: "mcpEnabled_" + server.modelData.name
                    checked: !server.modelData.disabled
                    onToggled: Backend.setMcpServerEnabled(server.modelData.name, checked)
                }
                ActionButton {
                    objectName: "mcpRemove_" + server.modelData.name
                    kind: "danger"
                    text: qsTr("Remove")
                    onClicked: Backend.removeMcpServer(server.modelData.name)
                }
            }
            Flow {
                Layout.fillWidth: true
                spacing: 6
                Repeater {
                    model: Backend.toolboxClients
                    delegate: Badge {
                        required property var modelData
                        readonly property string state: server.modelData.state[modelData.client] || ""
                        text: modelData.title + " " + page.stateText(state)
                        kind: page.stateKind(state)
                    }
                }
            }
        }
    }

    Card {
        Layout.fillWidth: true
        padding: 14
        SectionHeader {
            title: qsTr("Add a skill")
            subtitle: qsTr("A folder with a SKILL.md (front matter with a name and a description), copied into each agent's skills folder.")
        }
        RowLayout {
            Layout.fillWidth: true
            spacing: 8
            InputField {
                id: skillFolder
                objectName: "skillFolder"
                Layout.fillWidth: true
                mono: true
                placeholderText: qsTr("/path/to/my-skill")
            }
            ActionButton {
                objectName: "skillAdd"
                kind: "primary"
                text: qsTr("Add and copy into clients")
                enabled: Backend.connected && skillFolder.text.trim() !== ""
                onClicked: Backend.addSkill(skillFolder.text.trim())
            }
        }
    }

    Repeater {
        model: Backend.skills
        delegate: Card {
            id: skill
            required property var modelData
            objectName: "skillCard_" + modelData.name
            Layout.fillWidth: true
            spacing: 8
            RowLayout {
                Layout.fillWidth: true
                spacing: 10
                ColumnLayout {
                    Layout.fillWidth: true
                    spacing: 1
                    Label {
                        text: skill.modelData.name
                        color: Theme.text
                        font.bold: true
                    }
                    Label {
                        Layout.fillWidth: true
                        text: skill.modelData.description
                        color: Theme.textMuted
                        font.pixelSize: Theme.smallFont
                        elide: Text.ElideRight
                    }
                }
                Badge {
                    text: skill.modelData.files === 1 ? qsTr("1 file") : qsTr("%1 files").arg(skill.modelData.files)
                    kind: "neutral"
                }
                Toggle {
                    checked: !skill.modelData.disabled
                    onToggled: Backend.setSkillEnabled(skill.modelData.name, checked)
                }
                ActionButton {
                    objectName: "skillRemove_" + skill.modelData.name
                    kind: "danger"
                    text: qsTr("Remove")
                    onClicked: Backend.removeSkill(skill.modelData.name)
                }
            }
            Flow {
                Layout.fillWidth: true
                spacing: 6
                Repeater {
                    model: Backend.toolboxClients
                    delegate: Badge {
                        required property var modelData
                        readonly property string state: skill.modelData.state[modelData.client] || ""
                        text: modelData.title + " " + page.stateText(state)
                        kind: page.stateKind(state)
                    }
                }
            }
        }
    }

    Card {
        Layout.fillWidth: true
        padding: 14
        SectionHeader {
            title: qsTr("Clients")
            subtitle: qsTr("Where each agent keeps them. Written into those installed or configured here.")
        }
        Repeater {
            model: Backend.toolboxClients
            delegate: RowLayout {
                required property var modelData
                Layout.fillWidth: true
                spacing: 10
                StatusDot { kind: modelData.target ? "ok" : "neutral" }
                ColumnLayout {
                    Layout.fillWidth: true
                    spacing: 1
                    Label {
                        text: modelData.title + (modelData.installed ? "" : " · " + qsTr("not installed"))
                        color: Theme.text
                        font.bold: true
                    }
                    Label {
                        Layout.fillWidth: true
                        text: modelData.error !== "" ? modelData.error
                              : modelData.mcpPath + " · " + modelData.skillsPath
                        color: modelData.error !== "" ? Theme.error : Theme.textMuted
                        font.family: Theme.mono
                        font.pixelSize: Theme.smallFont
                        elide: Text.ElideMiddle
                    }
                    Label {
                        Layout.fillWidth: true
                        visible: modelData.ownServers.length + modelData.ownSkills.length > 0
                        text: qsTr("its own: %1").arg(modelData.ownServers.concat(modelData.ownSkills).join(", "))
                        color: Theme.textMuted
                        font.pixelSize: Theme.smallFont
                        elide: Text.ElideRight
                    }
                }
                ActionButton {
                    objectName: "toolboxRestore_" + modelData.client
                    text: qsTr("Take ours out")
                    onClicked: Backend.restoreToolbox(modelData.client)
                }
            }
        }
    }
}
