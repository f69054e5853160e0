// KuiKui: a round sky-blue bird with a cream belly, a three-feather crest and a little orange
// beak. It flaps while busy, ruffles its feathers on errors and tucks in to sleep.
import QtQuick
import QtQuick.Shapes
import "../parts"

Item {
    id: kui
    property real leanX: 0
    property bool animated: true
    width: 160
    height: 160

    readonly property color body: "#6cc0f4"
    readonly property color bodyDark: "#3f98d6"
    readonly property color edge: "#2b74ad"
    readonly property color beak: "#ffae3d"
    readonly property color ink: "#1f2b38"

    property real flap: 0
    SequentialAnimation on flap {
        running: kui.animated && (kui.state === "active" || kui.state === "error")
        loops: Animation.Infinite
        NumberAnimation { from: 0; to: 1; duration: kui.state === "error" ? 90 : 160 }
        NumberAnimation { from: 1; to: 0; duration: kui.state === "error" ? 90 : 160 }
        onStopped: kui.flap = 0
    }
    property real crest: 0
    SequentialAnimation on crest {
        running: kui.animated && kui.state === "idle"
        loops: Animation.Infinite
        NumberAnimation { from: -1; to: 1; duration: 1000; easing.type: Easing.InOutSine }
        NumberAnimation { from: 1; to: -1; duration: 1000; easing.type: Easing.InOutSine }
        onStopped: kui.crest = 0
    }

    // Feet.
    Shape {
        anchors.fill: parent
        ShapePath {
            strokeColor: "#e08a1e"; strokeWidth: 3.5; fillColor: "transparent"
            capStyle: ShapePath.RoundCap; joinStyle: ShapePath.RoundJoin
            PathSvg { path: "M 66 136 L 66 146 M 60 148 L 66 145 L 72 148 M 94 136 L 94 146 M 88 148 L 94 145 L 100 148" }
        }
    }
    // The crest: three feathers, swaying.
    Item {
        x: 80; y: 46
        rotation: kui.state === "sleep" ? 0 : kui.crest * 6 + kui.leanX * 8
        Repeater {
            model: [[-24, 20], [0, 27], [24, 20]]
            Shape {
                required property var modelData
                x: -7; y: -modelData[1]
                width: 14; height: modelData[1]
                transformOrigin: Item.Bottom
                rotation: kui.state === "error" ? modelData[0] * 1.8 : kui.state === "sleep" ? modelData[0] * 2.2 : modelData[0]
                ShapePath {
                    strokeColor: kui.edge; strokeWidth: 2; fillColor: kui.bodyDark; joinStyle: ShapePath.RoundJoin
                    PathSvg {
                        path: "M 7 %1 C 0 %2 1 5 7 0 C 13 5 14 %2 7 %1 Z"
                            .arg(modelData[1] + 4).arg(modelData[1] * 0.55)
                    }
                }
            }
        }
    }
    // Wings behind the body.
    Rectangle {
        x: 20; y: 84; width: 22; height: 38; radius: 11
        color: kui.bodyDark; border.color: kui.edge; border.width: 2
        transformOrigin: Item.TopRight
        rotation: kui.state === "sleep" ? 8 : 18 + kui.flap * 50
    }
    Rectangle {
        x: 118; y: 84; width: 22; height: 38; radius: 11
        color: kui.bodyDark; border.color: kui.edge; border.width: 2
        transformOrigin: Item.TopLeft
        rotation: kui.state === "sleep" ? -8 : -18 - kui.flap * 50
    }
    // The body: a ball with a cream belly.
    Rectangle {
        x: 30; y: 42; width: 100; height: 98; radius: 49
        border.color: kui.edge; border.width: 2.5
        gradient: Gradient {
            GradientStop { position: 0; color: Qt.lighter(kui.body, 1.15) }
            GradientStop { position: 1; color: kui.body }
        }
    }
    Rectangle { x: 48; y: 94; width: 64; height: 44; radius: 22; color: "#fff4e2" }
    Shape {   // belly feathers
        x: 60; y: 108; width: 40; height: 20
        ShapePath {
            strokeColor: "#f0d9b8"; strokeWidth: 2; fillColor: "transparent"; capStyle: ShapePath.RoundCap
            PathSvg { path: "M 2 4 Q 8 10 14 4 M 14 4 Q 20 10 26 4 M 26 4 Q 32 10 38 4 M 8 14 Q 14 20 20 14 M 20 14 Q 26 20 32 14" }
        }
    }
    Rectangle { x: 46; y: 56; width: 16; height: 8; radius: 4; rotation: -30; color: "#ffffff"; opacity: 0.5 }

    readonly property string eyeMode: state === "active" ? "happy" : state === "error" ? "x"
                                    : state === "sleep" ? "closed" : "open"
    PetEye { x: 54 + kui.leanX * 4; y: 70; size: 16; mode: kui.eyeMode; color: kui.ink; lookX: kui.leanX; animated: kui.animated }
    PetEye { x: 90 + kui.leanX * 4; y: 70; size: 16; mode: kui.eyeMode; color: kui.ink; lookX: kui.leanX; animated: kui.animated }
    Rectangle { x: 44; y: 88; width: 13; height: 7; radius: 3.5; color: "#ff8fb1"; opacity: 0.7 }
    Rectangle { x: 103; y: 88; width: 13; height: 7; radius: 3.5; color: "#ff8fb1"; opacity: 0.7 }
    // The beak: closed, or open (chirping, or squawking on errors).
    Shape {
        x: 70 + kui.leanX * 4; y: 84; width: 20; height: 20
        readonly property bool open: kui.state === "active" || kui.state === "error"
        ShapePath {
            strokeColor: "#d07a12"; strokeWidth: 1.5; fillColor: kui.beak; joinStyle: ShapePath.RoundJoin
            PathSvg { path: parent.open ? "M 1 2 Q 10 -2 19 2 L 10 9 Z" : "M 2 3 Q 10 0 18 3 L 10 13 Z" }
        }
        ShapePath {
            strokeColor: parent.open ? "#d07a12" : "transparent"; strokeWidth: 1.5
            fillColor: parent.open ? "#f39a2a" : "transparent"; joinStyle: ShapePath.RoundJoin
            PathSvg { path: "M 4 12 L 16 12 L 10 18 Z" }
        }
    }
    // Loose feathers on errors; music notes while busy.
    Repeater {
        model: kui.state === "error" ? [[20, 40, -30], [132, 52, 40]] : []
        Shape {
            required property var modelData
            x: modelData[0]; y: modelData[1]; width: 10; height: 16; rotation: modelData[2]
            ShapePath {
                strokeColor: kui.edge; strokeWidth: 1.5; fillColor: kui.body
                PathSvg { path: "M 5 16 C 0 10 1 4 5 0 C 9 4 10 10 5 16 Z" }
            }
        }
    }
    Text {
        visible: kui.state === "active"
        x: 126; y: 30 - kui.flap * 4
        text: "♪"
        color: "#ffd166"
        font.pixelSize: 22
        font.bold: true
    }
    SleepZ { visible: kui.state === "sleep"; x: 112; y: 4; animated: kui.animated }
}
