// A pet's mouth, centred on its item: smile (a curve), open (a happy open mouth with a tongue),
// wobbly (a zigzag, for errors), o (a small round mouth, for sleep) or flat.
import QtQuick
import QtQuick.Shapes

Item {
    id: mouth
    property string mode: "smile"
    property real size: 14          // width
    property color color: "#2b2320"
    property color inside: "#8a2f2b"
    property color tongue: "#f08a8a"
    property real lineWidth: Math.max(2, size / 6.5)

    width: size
    height: size * 0.6

    Shape {
        anchors.fill: parent
        visible: mouth.mode !== "open" && mouth.mode !== "o"
        ShapePath {
            strokeColor: mouth.color
            strokeWidth: mouth.lineWidth
            fillColor: "transparent"
            capStyle: ShapePath.RoundCap
            joinStyle: ShapePath.RoundJoin
            PathSvg {
                path: {
                    const w = mouth.size, h = mouth.height
                    switch (mouth.mode) {
                    case "wobbly":
                        return "M 0 %1 L %2 %3 L %4 %1 L %5 %3 L %6 %1".arg(h * 0.6)
                            .arg(w * 0.25).arg(h * 0.2).arg(w * 0.5).arg(w * 0.75).arg(w)
                    case "flat":
                        return "M %1 %2 L %3 %2".arg(w * 0.15).arg(h * 0.4).arg(w * 0.85)
                    default:  // smile
                        return "M 0 %1 Q %2 %3 %4 %1".arg(h * 0.2).arg(w * 0.5).arg(h * 1.1).arg(w)
                    }
                }
            }
        }
    }

    // open: a D-shaped mouth with a tongue.
    Shape {
        anchors.fill: parent
        visible: mouth.mode === "open"
        ShapePath {
            strokeColor: mouth.color
            strokeWidth: mouth.lineWidth * 0.8
            fillColor: mouth.inside
            joinStyle: ShapePath.RoundJoin
            PathSvg {
                path: {
                    const w = mouth.size, h = mouth.height
                    return "M 0 0 Q %1 %2 %3 0 Z".arg(w * 0.5).arg(h * 2.0).arg(w)
                }
            }
        }
        ShapePath {
            strokeColor: "transparent"
            fillColor: mouth.tongue
            PathSvg {
                path: {
                    const w = mouth.size, h = mouth.height
                    return "M %1 %2 Q %3 %4 %5 %2 Q %3 %6 %1 %2 Z".arg(w * 0.3).arg(h * 0.78)
                        .arg(w * 0.5).arg(h * 1.05).arg(w * 0.7).arg(h * 0.55)
                }
            }
        }
    }

    Rectangle {
        visible: mouth.mode === "o"
        anchors.centerIn: parent
        width: mouth.size * 0.38
        height: mouth.size * 0.44
        radius: width / 2
        color: mouth.inside
        border.color: mouth.color
        border.width: mouth.lineWidth * 0.7
    }
}
