// A drop-down in the app's style. `model` is an array of strings, or of objects with
// textRole/valueRole (e.g. [{value, text}]); `editable` lets the user type a value too.
import QtQuick
import QtQuick.Controls
import QtQuick.Templates as T
import AgentGate.Ui

ComboBox {
    id: control

    property bool mono: false
    // Shown in an editable drop-down while it is empty.
    property string placeholderText
    // Editable: the text the user typed or picked (or setText gave), kept when the model
    // changes (ComboBox would otherwise replace it with the first entry of the new model).
    property string chosenText: ""
    function setText(t) {
        chosenText = t === undefined || t === null ? "" : String(t)
        editText = chosenText
    }
    onActivated: (i) => { if (editable) chosenText = textAt(i) }
    onModelChanged: if (editable) Qt.callLater(() => { control.editText = control.chosenText })

    implicitHeight: 36
    leftPadding: 10
    rightPadding: 30
    font.pixelSize: Theme.fontSize
    font.family: mono ? Theme.mono : Qt.application.font.family
    opacity: enabled ? 1 : 0.55
    hoverEnabled: true

    delegate: ItemDelegate {
        id: item
        required property int index
        required property var modelData
        width: ListView.view ? ListView.view.width : 0
        implicitHeight: 32
        highlighted: control.highlightedIndex === index
        hoverEnabled: true
        contentItem: Label {
            text: {
                const d = item.modelData
                if (control.textRole && d !== null && typeof d === "object")
                    return d[control.textRole] ?? ""
                return d === undefined || d === null ? "" : String(d)
            }
            color: Theme.text
            font.pixelSize: Theme.fontSize
            font.family: control.mono ? Theme.mono : Qt.application.font.family
            font.bold: control.currentIndex === item.index
            elide: Text.ElideRight
            verticalAlignment: Text.AlignVCenter
        }
        background: Rectangle {
            radius: 6
            color: item.highlighted ? Theme.accentSoft : "transparent"
        }
    }

    indicator: Label {
        x: control.width - width - 10
        y: (control.height - height) / 2
        text: "▾"
        color: Theme.textMuted
        font.pixelSize: Theme.fontSize
    }

    contentItem: T.TextField {
        onTextEdited: control.chosenText = text
        leftPadding: 0
        rightPadding: 0
        text: control.editable ? control.editText : control.displayText
        enabled: control.editable
        autoScroll: control.editable
        readOnly: control.down
        inputMethodHints: control.inputMethodHints
        validator: control.validator
        selectByMouse: control.selectTextByMouse
        font: control.font
        color: Theme.text
        selectionColor: Theme.selection
        selectedTextColor: Theme.text
        verticalAlignment: Text.AlignVCenter

        // (A template text field draws no placeholder of its own.)
        Label {
            anchors.fill: parent
            visible: control.editable && parent.length === 0 && !parent.preeditText
            text: control.placeholderText
            color: Qt.rgba(Theme.textMuted.r, Theme.textMuted.g, Theme.textMuted.b, 0.6)
            font: control.font
            verticalAlignment: Text.AlignVCenter
            elide: Text.ElideRight
        }
    }

    background: Rectangle {
        implicitWidth: 160
        radius: 8
        color: Theme.input
        border.width: control.activeFocus || control.popup.visible ? 2 : 1
        border.color: control.activeFocus || control.popup.visible ? Theme.accent
                    : control.hovered ? Theme.textMuted : Theme.cardBorder
    }

    popup: Popup {
        y: control.height + 4
        width: Math.max(control.width, 180)
        implicitHeight: Math.min(contentItem.implicitHeight + 8, 320)
        padding: 4

        contentItem: ListView {
            clip: true
            implicitHeight: contentHeight
            model: control.delegateModel
            currentIndex: control.highlightedIndex
            highlightMoveDuration: 0
            ScrollBar.vertical: ScrollBar { }
        }

        background: Rectangle {
            radius: 8
            color: Theme.card
            border.color: Theme.cardBorder
        }
    }
}
