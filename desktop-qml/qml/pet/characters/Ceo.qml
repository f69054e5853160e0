// CEO: a little boss in a navy suit and red tie, neat side-parted hair and a briefcase. Busy,
// he raises a fist and coins pop up; on errors his tie goes askew and he sweats.
import QtQuick
import QtQuick.Shapes
import "../parts"

Item {
    id: ceo
    property real leanX: 0
    property bool animated: true
    width: 160
    height: 160

    readonly property color skin: "#f6cfa8"
    readonly property color skinEdge: "#d9a47c"
    readonly property color suit: "#2f3d63"
    readonly property color suitDark: "#1f2945"
    readonly property color hair: "#3a2a22"
    readonly property color ink: "#2b2320"

    property real pump: 0   // the raised fist, while active
    SequentialAnimation on pump {
        running: ceo.animated && ceo.state === "active"
        loops: Animation.Infinite
        NumberAnimation { from: 0; to: 1; duration: 260; easing.type: Easing.OutQuad }
        NumberAnimation { from: 1; to: 0; duration: 260; easing.type: Easing.InQuad }
        onStopped: ceo.pump = 0
    }
    property real coin: 0   // coins rising, while active
    NumberAnimation on coin {
        running: ceo.animated && ceo.state === "active"
        from: 0; to: 1; duration: 1100; loops: Animation.Infinite
        onStopped: ceo.coin = 0
    }

    // Legs and shoes.
    Rectangle { x: 64; y: 132; width: 12; height: 12; color: "#3b3f4a" }
    Rectangle { x: 84; y: 132; width: 12; height: 12; color: "#3b3f4a" }
    Rectangle { x: 58; y: 141; width: 20; height: 8; radius: 4; color: "#1b1b1f" }
    Rectangle { x: 82; y: 141; width: 20; height: 8; radius: 4; color: "#1b1b1f" }

    // Left arm: down, or pumping a fist while busy.
    Item {
        x: 50; y: 100; width: 13; height: 34
        transformOrigin: Item.Top
        rotation: ceo.state === "active" ? 160 - 25 * ceo.pump : ceo.state === "error" ? 35 : 12
        Rectangle { width: 13; height: 28; radius: 6; color: ceo.suit; border.color: ceo.suitDark; border.width: 1.5 }
        Rectangle { x: 1; y: 24; width: 11; height: 11; radius: 5.5; color: ceo.skin; border.color: ceo.skinEdge; border.width: 1.5 }
    }
    // Right arm holding the briefcase.
    Rectangle { x: 97; y: 100; width: 13; height: 28; radius: 6; rotation: -10; transformOrigin: Item.Top
                color: ceo.suit; border.color: ceo.suitDark; border.width: 1.5 }
    Rectangle { x: 104; y: 124; width: 30; height: 22; radius: 4; color: "#8a5a3a"; border.color: "#5e3b24"; border.width: 2 }
    Rectangle { x: 113; y: 118; width: 12; height: 8; radius: 3; color: "transparent"; border.color: "#5e3b24"; border.width: 2.5 }
    Rectangle { x: 104; y: 132; width: 30; height: 2; color: "#5e3b24" }
    Rectangle { x: 116; y: 130; width: 6; height: 6; radius: 1; color: "#e5b94f" }

    // The suit.
    Shape {
        anchors.fill: parent
        ShapePath {
            strokeColor: ceo.suitDark; strokeWidth: 2; fillColor: ceo.suit; joinStyle: ShapePath.RoundJoin
            PathSvg { path: "M 54 136 L 57 106 C 58 98 66 94 80 94 C 94 94 102 98 103 106 L 106 136 Z" }
        }
        ShapePath {   // the shirt
            strokeColor: "transparent"; fillColor: "#ffffff"
            PathSvg { path: "M 69 95 L 80 120 L 91 95 Z" }
        }
        ShapePath {   // lapels
            strokeColor: ceo.suitDark; strokeWidth: 1.5; fillColor: "#3a4a75"; joinStyle: ShapePath.RoundJoin
            PathSvg { path: "M 68 95 L 80 122 L 71 108 L 64 104 Z M 92 95 L 80 122 L 89 108 L 96 104 Z" }
        }
    }
    // The tie (askew on errors).
    Item {
        x: 74; y: 95; width: 12; height: 30
        transformOrigin: Item.Top
        rotation: ceo.state === "error" ? 22 : 0
        Shape {
            anchors.fill: parent
            ShapePath {
                strokeColor: "#9e2a25"; strokeWidth: 1.2; fillColor: "#d8403a"; joinStyle: ShapePath.RoundJoin
                PathSvg { path: "M 3 0 L 9 0 L 8 5 L 4 5 Z M 4 5 L 8 5 L 11 20 L 6 26 L 1 20 Z" }
            }
        }
    }
    Rectangle { x: 62; y: 112; width: 8; height: 3; radius: 1; color: "#ffffff"; opacity: 0.9 }  // pocket square

    // The head.
    Rectangle { x: 41; y: 52; width: 12; height: 16; radius: 6; color: ceo.skin; border.color: ceo.skinEdge; border.width: 1.5 }
    Rectangle { x: 107; y: 52; width: 12; height: 16; radius: 6; color: ceo.skin; border.color: ceo.skinEdge; border.width: 1.5 }
    Rectangle {
        x: 46; y: 24; width: 68; height: 70; radius: 34
        color: ceo.skin; border.color: ceo.skinEdge; border.width: 2
    }
    Shape {   // side-parted hair
        anchors.fill: parent
        ShapePath {
            strokeColor: "#2a1d17"; strokeWidth: 1.5; fillColor: ceo.hair; joinStyle: ShapePath.RoundJoin
            PathSvg { path: "M 46 60 C 42 36 58 20 82 20 C 104 20 120 32 115 58 C 112 48 106 42 98 40 C 84 46 66 46 58 42 C 52 46 48 52 46 60 Z" }
        }
        ShapePath {   // the shine on it
            strokeColor: "#6b5346"; strokeWidth: 2.5; fillColor: "transparent"; capStyle: ShapePath.RoundCap
            PathSvg { path: "M 70 28 C 80 25 92 26 100 30" }
        }
    }
    // Eyebrows: confident, worried on errors.
    Shape {
        anchors.fill: parent
        ShapePath {
            strokeColor: ceo.hair; strokeWidth: 3; fillColor: "transparent"; capStyle: ShapePath.RoundCap
            PathSvg {
                path: ceo.state === "error" ? "M 58 50 L 70 54 M 102 50 L 90 54"
                    : ceo.state === "sleep" ? "M 58 55 L 70 55 M 90 55 L 102 55"
                    : "M 58 52 L 70 49 M 90 49 L 102 52"
            }
        }
    }
    readonly property string eyeMode: state === "active" ? "happy" : state === "error" ? "x"
                                    : state === "sleep" ? "closed" : "open"
    PetEye { x: 58; y: 56; size: 13; mode: ceo.eyeMode; color: ceo.ink; lookX: ceo.leanX; animated: ceo.animated }
    PetEye { x: 89; y: 56; size: 13; mode: ceo.eyeMode; color: ceo.ink; lookX: ceo.leanX; animated: ceo.animated }
    Rectangle { x: 53; y: 70; width: 11; height: 6; radius: 3; color: "#ff9a8a"; opacity: 0.6 }
    Rectangle { x: 96; y: 70; width: 11; height: 6; radius: 3; color: "#ff9a8a"; opacity: 0.6 }
    PetMouth {
        x: 73; y: 74; size: 14
        mode: ceo.state === "active" ? "open" : ceo.state === "error" ? "wobbly"
              : ceo.state === "sleep" ? "o" : "smile"
        color: ceo.ink
    }

    // Coins popping up while busy.
    Repeater {
        model: ceo.state === "active" ? 2 : 0
        Rectangle {
            required property int index
            readonly property real t: (ceo.coin + index * 0.5) % 1
            x: index === 0 ? 22 : 122
            y: 60 - 40 * t
            opacity: ceo.animated ? 1 - t : 1
            width: 16; height: 16; radius: 8
            color: "#f5c542"; border.color: "#c8951c"; border.width: 2
            Text { anchors.centerIn: parent; text: "$"; color: "#8a6110"; font.pixelSize: 11; font.bold: true }
        }
    }
    // A sweat drop on errors.
    Shape {
        visible: ceo.state === "error"
        x: 112; y: 30; width: 14; height: 20
        ShapePath {
            strokeColor: "#3d8fd6"; strokeWidth: 1.5; fillColor: "#9fd3ff"
            PathSvg { path: "M 7 0 C 10 8 14 11 14 14 C 14 18 11 20 7 20 C 3 20 0 18 0 14 C 0 11 4 8 7 0 Z" }
        }
    }
    SleepZ { visible: ceo.state === "sleep"; x: 112; y: 0; animated: ceo.animated }
}
