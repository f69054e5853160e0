// Colours, sizes and fonts for every page. Dark: warm amber on deep brown-grey; light: clean
// neutral grey. `dark` follows Backend.settings.theme.
pragma Singleton
import QtQuick
import AgentGate.Backend

QtObject {
    readonly property bool dark: Backend.settings.theme !== "light"

    readonly property color window: dark ? "#1c1814" : "#f4f5f6"
    readonly property color sidebar: dark ? "#15120f" : "#e9ebed"
    readonly property color card: dark ? "#28221c" : "#ffffff"
    readonly property color cardBorder: dark ? "#3a3129" : "#dcdfe3"
    readonly property color text: dark ? "#f3e9dc" : "#1f2328"
    readonly property color textMuted: dark ? "#b3a594" : "#5f6670"
    readonly property color accent: dark ? "#f0a030" : "#3d6fd9"
    readonly property color accentText: dark ? "#1c1814" : "#ffffff"
    readonly property color accentSoft: dark ? "#4a3a22" : "#dfe8fb"
    readonly property color ok: dark ? "#8fcf6a" : "#2e8540"
    readonly property color warn: dark ? "#f0c040" : "#b7791f"
    readonly property color error: dark ? "#ff7a66" : "#c93c37"
    readonly property color input: dark ? "#1f1a15" : "#ffffff"
    readonly property color selection: dark ? "#5a4526" : "#cfdcf7"

    readonly property int radius: 10
    readonly property int spacing: 12
    readonly property int pagePadding: 24
    readonly property int fontSize: 14
    readonly property int smallFont: 12
    readonly property int titleFont: 22
    readonly property string mono: "monospace"
}
