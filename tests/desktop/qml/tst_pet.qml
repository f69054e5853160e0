// The pet's QML: every character loads in every state (still and animated) without a warning
// and draws something; PetGallery lays out the pet with a bubble; PetBody follows the cursor
// lean only while idle; PetWindow follows Backend.settings (character, position) and its chat
// sends through Backend.pet.
import QtQuick
import QtTest
import AgentGate.Backend
import AgentGate.Ui

TestCase {
    id: testCase
    name: "Pet"
    when: windowShown
    visible: true  // rendered, so that grabImage sees the pets
    width: 420
    height: 420

    readonly property var states: ["idle", "active", "error", "sleep"]
    readonly property var files: ({
        gatewayBot: "GatewayBot", pixelCat: "PixelCat", slime: "Slime", ceo: "Ceo",
        octopus: "Octopus", mafan: "MaFan", kuikui: "KuiKui", fenzong: "FenZong",
        zhenzhen: "ZhenZhen"
    })

    Component { id: galleryComponent; PetGallery {} }
    Component { id: bodyComponent; PetBody {} }
    Component { id: windowComponent; PetWindow {} }

    function init() {
        failOnWarning(/.?/)  // any warning (binding loop, undefined property) fails the test
    }

    // How many of a grid of sample points are not the background: the pet drew something.
    function paintedPoints(image) {
        let n = 0
        for (let x = 10; x < image.width; x += 10) {
            for (let y = 10; y < image.height; y += 10) {
                if (!Qt.colorEqual(image.pixel(x, y), "#00000000") &&
                        !Qt.colorEqual(image.pixel(x, y), "#ffffff"))
                    ++n
            }
        }
        return n
    }

    function test_characterList() {
        compare(Backend.pet.characters.length, 9)
        for (const id of Backend.pet.characters) {
            verify(files[id] !== undefined, id)
            verify(Backend.pet.characterName(id) !== id, id)
        }
    }

    function test_everyCharacterEveryState_data() {
        const rows = []
        for (const c of Backend.pet.characters) {
            for (const s of states) {
                rows.push({ tag: c + "-" + s + "-still", character: c, petState: s, animated: false })
                rows.push({ tag: c + "-" + s + "-animated", character: c, petState: s, animated: true })
            }
        }
        return rows
    }
    function test_everyCharacterEveryState(data) {
        const g = createTemporaryObject(galleryComponent, testCase, {
            character: data.character, petState: data.petState, animated: data.animated,
            width: 200, height: 200
        })
        verify(g)
        const item = g.pet.item
        verify(item, "the character loaded")
        verify(String(item).indexOf(files[data.character]) >= 0, String(item))
        compare(item.state, data.petState)
        compare(item.animated, data.animated)
        verify(item.width > 0 && item.height > 0)
        verify(g.pet.width > 0 && g.pet.height > 0)
        if (data.animated) wait(250)  // let the animations run a few frames
        waitForRendering(g)
        const image = grabImage(g)
        verify(paintedPoints(image) > 40, "drew " + paintedPoints(image) + " sample points")
    }

    function test_stateChangesOnTheFly() {
        const g = createTemporaryObject(galleryComponent, testCase, { character: "octopus" })
        for (const s of ["active", "error", "sleep", "idle", "active"]) {
            g.petState = s
            compare(g.pet.item.state, s)
            wait(60)
        }
        g.character = "pixelCat"
        verify(g.pet.item)
        compare(g.pet.item.state, "active")
    }

    function test_unknownCharacterFallsBackToGatewayBot() {
        const b = createTemporaryObject(bodyComponent, testCase, { character: "nobody" })
        verify(b.item)
        verify(String(b.item).indexOf("GatewayBot") >= 0, String(b.item))
    }

    function test_leansOnlyWhileIdle() {
        const b = createTemporaryObject(bodyComponent, testCase, { leanX: 1, animated: false })
        compare(b.lean, 1)
        compare(b.item.leanX, 1)
        b.leanX = -3
        compare(b.lean, -1)  // clamped
        b.petState = "active"
        compare(b.lean, 0)
        b.petState = "sleep"
        compare(b.lean, 0)
    }

    function test_stillMeansNeutralPose() {
        for (const s of states) {
            const b = createTemporaryObject(bodyComponent, testCase, { petState: s, animated: false })
            wait(50)
            compare(b.liftY, 0)
            compare(b.shakeX, 0)
            compare(b.stretchY, 1)
        }
    }

    function test_galleryBubble() {
        const plain = createTemporaryObject(galleryComponent, testCase, { animated: false })
        const g = createTemporaryObject(galleryComponent, testCase, {
            animated: false, bubbleText: "Today: 128 requests | $0.42"
        })
        verify(g.pet.scale < plain.pet.scale, "the pet makes room for the bubble")
        compare(findChild(plain, "petBubble").visible, false)
        const bubble = findChild(g, "petBubble")
        verify(bubble.visible)
        compare(bubble.text, "Today: 128 requests | $0.42")
        verify(bubble.width > 0 && bubble.width <= g.width)
        verify(bubble.y >= 0 && bubble.y + bubble.height < g.height / 2)
    }

    function test_window() {
        const character = Backend.settings.petCharacter
        const position = Backend.settings.petPosition
        const w = createTemporaryObject(windowComponent, testCase)
        verify(w)
        verify(Qt.colorEqual(w.color, "transparent"))
        verify(w.flags & Qt.FramelessWindowHint)
        verify(w.flags & Qt.WindowStaysOnTopHint)
        compare(w.visible, Backend.settings.petVisible)
        const body = findChild(w.contentItem, "petBody")
        verify(body)
        compare(body.character, Backend.settings.petCharacter)
        compare(body.petState, Backend.pet.state)
        Backend.settings.petCharacter = "kuikui"
        compare(body.character, "kuikui")
        verify(String(body.item).indexOf("KuiKui") >= 0)

        // A move is saved once the window rests.
        w.x = 123
        w.y = 77
        tryVerify(() => Backend.settings.petPosition.x === 123 &&
                        Backend.settings.petPosition.y === 77, 3000)

        Backend.settings.petCharacter = character
        Backend.settings.petPosition = position
    }

    function test_chat() {
        const w = createTemporaryObject(windowComponent, testCase)
        const before = Backend.pet.chat.count
        wait(100)  // a new Window applies its declared visibility in a queued call: let it pass
        w.openChat()
        const chat = w.chatWindow
        verify(chat)
        tryCompare(chat, "visible", true)
        const input = findChild(chat.contentItem, "petChatInput")
        const send = findChild(chat.contentItem, "petChatSend")
        verify(input && send)
        verify(!send.enabled)  // nothing typed
        input.text = "hello pet"
        verify(send.enabled)
        send.clicked()
        compare(input.text, "")
        // No gateway runs here: the pet answers by itself at once.
        tryVerify(() => Backend.pet.chat.count === before + 2, 3000)
        compare(Backend.pet.chat.get(before).text, "hello pet")
        compare(Backend.pet.chat.get(before + 1).role, "pet")
        const list = findChild(chat.contentItem, "petChatList")
        compare(list.count, Backend.pet.chat.count)
        Backend.pet.clearChat()
        compare(Backend.pet.chat.count, 1)
        chat.close()
    }
}
