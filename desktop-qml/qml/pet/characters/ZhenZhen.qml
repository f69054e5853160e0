// ZhenZhen: a bean-shaped panda sprite with round black ears, tilted eye patches and a green
// sprout on its head. The sprout wiggles while idle and blooms while busy; it droops on errors
// and in sleep.
import QtQuick
import QtQuick.Shapes
import "../parts"

Item {
    id: zz
    property real leanX: 0
    property bool animated: true
    width: 160
    height: 160

    readonly property color white: "#fbfaf5"
    readonly property color black: "#2a2a2e"
    readonly property color blackEdge: "#5d5d66"   // keeps black parts visible on dark desktops
    readonly property color leaf: "#6cc66a"
    readonly property color leafDark: "#3f9a46"

    property real wiggle: 0
    SequentialAnimation on wiggle {
        running: zz.animated && (zz.state === "idle" || zz.state === "active")
        loops: Animation.Infinite
        NumberAnimation { from: -1; to: 1; duration: zz.state === "active" ? 220 : 1100; easing.type: Easing.InOutSine }
        NumberAnimation { from: 1; to: -1; duration: zz.state === "active" ? 220 : 1100; easing.type: Easing.InOutSine }
        onStopped: zz.wiggle = 0
    }
    readonly property real droop: state === "error" ? 1 : state === "sleep" ? 0.6 : 0

    // The sprout: a stem, two leaves and, while busy, a flower.
    Item {
        x: 80; y: 40
        rotation: zz.wiggle * 8 + zz.leanX * 6 + zz.droop * 20
        Rectangle { x: -2; y: -20; width: 4; height: 22; radius: 2; color: zz.leafDark }
        Repeater {
            model: [-1, 1]
            Shape {
                required property var modelData
                x: modelData < 0 ? -26 : 0; y: -34
                width: 26; height: 18
                transformOrigin: modelData < 0 ? Item.BottomRight : Item.BottomLeft
                rotation: modelData * (-10 + zz.droop * 55)
                ShapePath {
                    strokeColor: zz.leafDark; strokeWidth: 2; fillColor: zz.leaf; joinStyle: ShapePath.RoundJoin
                    PathSvg {
                        path: modelData < 0 ? "M 26 18 C 18 4 8 0 0 4 C 4 14 14 20 26 18 Z"
                                            : "M 0 18 C 8 4 18 0 26 4 C 22 14 12 20 0 18 Z"
                    }
                }
                ShapePath {
                    strokeColor: zz.leafDark; strokeWidth: 1.2; fillColor: "transparent"
                    PathSvg { path: modelData < 0 ? "M 24 16 C 16 10 10 7 4 5" : "M 2 16 C 10 10 16 7 22 5" }
                }
            }
        }
        Item {
            visible: zz.state === "active"
            x: 0; y: -22
            Repeater {
                model: 5
                Rectangle {
                    required property int index
                    x: -5 + 7 * Math.cos(index * 2 * Math.PI / 5 - Math.PI / 2)
                    y: -5 + 7 * Math.sin(index * 2 * Math.PI / 5 - Math.PI / 2)
                    width: 10; height: 10; radius: 5; color: "#ff9fc2"; border.color: "#e0608f"; border.width: 1
                }
            }
            Rectangle { x: -4; y: -4; width: 8; height: 8; radius: 4; color: "#ffd23f" }
        }
    }
    // Ears.
    Rectangle { x: 36; y: 34; width: 28; height: 28; radius: 14; color: zz.black; border.color: zz.blackEdge; border.width: 2 }
    Rectangle { x: 96; y: 34; width: 28; height: 28; radius: 14; color: zz.black; border.color: zz.blackEdge; border.width: 2 }
    // Arms and feet.
    Rectangle { x: 28; y: 98; width: 16; height: 26; radius: 8; color: zz.black; border.color: zz.blackEdge; border.width: 2
                transformOrigin: Item.Top; rotation: zz.state === "active" ? 140 + zz.wiggle * 15 : 20 }
    Rectangle { x: 116; y: 98; width: 16; height: 26; radius: 8; color: zz.black; border.color: zz.blackEdge; border.width: 2
                transformOrigin: Item.Top; rotation: zz.state === "active" ? -140 + zz.wiggle * 15 : -20 }
    Rectangle { x: 54; y: 136; width: 22; height: 13; radius: 6.5; color: zz.black; border.color: zz.blackEdge; border.width: 2 }
    Rectangle { x: 84; y: 136; width: 22; height: 13; radius: 6.5; color: zz.black; border.color: zz.blackEdge; border.width: 2 }
    // The bean.
    Shape {
        anchors.fill: parent
        ShapePath {
            strokeColor: "#8d8a84"; strokeWidth: 2; joinStyle: ShapePath.RoundJoin
            fillGradient: LinearGradient {
                x1: 60; y1: 40; x2: 100; y2: 146
                GradientStop { position: 0; color: "#ffffff" }
                GradientStop { position: 1; color: "#e9e6dc" }
            }
            PathSvg { path: "M 80 40 C 112 40 126 66 126 96 C 126 128 106 144 80 144 C 54 144 34 128 34 96 C 34 66 48 40 80 40 Z" }
        }
    }
    // Eye patches, tilted like a panda's, and the eyes in them.
    Repeater {
        model: [-1, 1]
        Item {
            id: side
            required property var modelData
            x: 80 + modelData * 21 - 13 + zz.leanX * 3
            y: 68
            width: 26
            height: 34
            Rectangle {
                anchors.centerIn: parent
                width: 23
                height: 34
                radius: 11.5
                rotation: side.modelData * -35
                color: zz.black
            }
            PetEye {
                anchors.centerIn: parent
                size: 13
                mode: zz.state === "active" ? "happy" : zz.state === "error" ? "x"
                      : zz.state === "sleep" ? "closed" : "open"
                color: "#ffffff"
                shine: zz.black
                lookX: zz.leanX
                animated: zz.animated
            }
        }
    }
    Rectangle { x: 40; y: 104; width: 14; height: 7; radius: 3.5; color: "#ff9fb3"; opacity: 0.7 }
    Rectangle { x: 106; y: 104; width: 14; height: 7; radius: 3.5; color: "#ff9fb3"; opacity: 0.7 }
    Rectangle { x: 75 + zz.leanX * 3; y: 98; width: 10; height: 6; radius: 3; color: zz.black }   // nose
    PetMouth {
        x: 73 + zz.leanX * 3; y: 104; size: 14
        mode: zz.state === "active" ? "open" : zz.state === "error" ? "wobbly"
              : zz.state === "sleep" ? "o" : "smile"
        color: zz.black
    }
    // A sweat drop on errors.
    Shape {
        visible: zz.state === "error"
        x: 122; y: 66; width: 14; height: 20
        ShapePath {
            strokeColor: "#3d8fd6"; strokeWidth: 1.5; fillColor: "#9fd3ff"
            PathSvg { path: "M 7 0 C 10 8 14 11 14 14 C 14 18 11 20 7 20 C 3 20 0 18 0 14 C 0 11 4 8 7 0 Z" }
        }
    }
    SleepZ { visible: zz.state === "sleep"; x: 114; y: 0; animated: zz.animated }
}
