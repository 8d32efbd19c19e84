import NodeHTTP
import Testing

@Suite("--help")
struct CommandLineHelpTests {
    @Test("--help and -h ask for help anywhere after the program name; other flags do not")
    func detection() {
        #expect(CommandLineHelp.isRequested(["upload-node", "--help"]))
        #expect(CommandLineHelp.isRequested(["download-node", "--port", "8001", "-h"]))
        #expect(!CommandLineHelp.isRequested(["download-node", "--port", "8001"]))
        #expect(!CommandLineHelp.isRequested(["--help"]))  // the program name itself is not a flag
    }

    @Test("the text names the daemon, the dev-token command only for upload-node, and the full key list")
    func text() {
        let upload = CommandLineHelp.text(role: .upload)
        let download = CommandLineHelp.text(role: .download)
        #expect(upload.hasPrefix("usage: upload-node") && upload.contains("dev-token --user ID"))
        #expect(download.hasPrefix("usage: download-node") && !download.contains("dev-token"))
        #expect(download.contains("--data-dir") && download.contains("docs/configuration.md"))
    }
}
