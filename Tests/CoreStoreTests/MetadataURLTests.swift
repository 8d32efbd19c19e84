import CoreStore
import NIOSSL
import Testing

@Suite("MetadataURL: PostgreSQL URL parsing, TLS modes, redaction")
struct MetadataURLTests {
    @Test("a full URL: user, percent-decoded password, host, port, database, sslmode, sslrootcert")
    func fullURL() throws {
        let settings = try PostgresConnectionSettings(
            url: "postgres://uds:p%40ss%3Aw%2Frd@db.example.com:6543/meta?sslmode=verify-full&sslrootcert=/etc/ca.pem")
        #expect(settings.host == "db.example.com")
        #expect(settings.port == 6543)
        #expect(settings.user == "uds")
        #expect(settings.password == "p@ss:w/rd")
        #expect(settings.database == "meta")
        #expect(settings.tlsMode == .verifyFull)
        #expect(settings.rootCertificatePath == "/etc/ca.pem")
        #expect(settings.label == "db.example.com:6543/meta")
    }

    @Test("defaults: port 5432, sslmode prefer, database = user; postgresql:// and any case accepted")
    func defaults() throws {
        let settings = try PostgresConnectionSettings(url: "PostgreSQL://app@10.0.0.5")
        #expect(settings.port == 5432)
        #expect(settings.tlsMode == .prefer)
        #expect(settings.database == nil)
        #expect(settings.password == nil)
        #expect(settings.label == "10.0.0.5:5432/app")
    }

    @Test("the password file's password fills in only where the URL has none")
    func fallbackPassword() throws {
        #expect(try PostgresConnectionSettings(url: "postgres://a@h/d", fallbackPassword: "file").password == "file")
        #expect(try PostgresConnectionSettings(url: "postgres://a:url@h/d", fallbackPassword: "file").password == "url")
    }

    @Test(
        "every sslmode maps to its TLS behaviour",
        arguments: [
            ("disable", PostgresConnectionSettings.TLSMode.disable, nil),
            ("prefer", .prefer, CertificateVerification.none),
            ("require", .require, CertificateVerification.none),
            ("verify-ca", .verifyCA, CertificateVerification.noHostnameVerification),
            ("verify-full", .verifyFull, CertificateVerification.fullVerification),
        ] as [(String, PostgresConnectionSettings.TLSMode, CertificateVerification?)])
    func tlsModes(text: String, mode: PostgresConnectionSettings.TLSMode, verification: CertificateVerification?) throws
    {
        let settings = try PostgresConnectionSettings(url: "postgres://u:pw@h:5432/d?sslmode=\(text)")
        #expect(settings.tlsMode == mode)
        #expect(try settings.tlsConfiguration()?.certificateVerification == verification)
        _ = try settings.clientConfiguration(options: PostgresPoolOptions())
    }

    @Test("an unreadable sslrootcert is an error naming the file")
    func missingRootCertificate() throws {
        let settings = try PostgresConnectionSettings(
            url: "postgres://u@h/d?sslmode=verify-full&sslrootcert=/nonexistent/ca.pem")
        #expect(throws: PostgresURLError.self) { try settings.tlsConfiguration() }
        do {
            _ = try settings.clientConfiguration(options: PostgresPoolOptions())
            Issue.record("expected an error")
        } catch {
            #expect(error.message.contains("/nonexistent/ca.pem"))
        }
    }

    @Test(
        "bad URLs are rejected with a reason and without the password",
        arguments: [
            ("mysql://u:secret@h/d", "unknown scheme 'mysql'"),
            ("redis://u:secret@h:6379", "unknown scheme"),
            ("postgres:///d", "missing host"),
            ("postgres://h:5432/d", "missing user"),
            ("postgres://u:secret@h/d?sslmode=allow", "unknown sslmode 'allow'"),
            ("postgres://u:secret@h/d?sslmode=", "unknown sslmode"),
            ("postgres://u:secret@h/d?connect_timeout=5", "unknown parameter 'connect_timeout'"),
            ("postgres://u:secret@h/d/e", "database name contains '/'"),
            ("postgres://u:secret@h:99999/d", "port"),
            ("postgres://u:secret@h/d?sslrootcert=", "empty sslrootcert"),
            ("not a url at all", "not a URL"),
            ("", "not a URL"),
        ])
    func badURLs(url: String, reason: String) {
        do {
            _ = try PostgresConnectionSettings(url: url)
            Issue.record("\(url) was accepted")
        } catch {
            #expect(error.message.contains(reason), "\(error.message)")
            #expect(!error.message.contains("secret"), "\(error.message)")
        }
    }

    @Test("redaction hides every password in a URL list, even unparsable ones")
    func redaction() {
        #expect(
            PostgresConnectionSettings.redact("postgres://u:secret@h:1/d,postgresql://v:x%40y@k/e?sslmode=require")
                == "postgres://u:***@h:1/d,postgresql://v:***@k/e?sslmode=require")
        #expect(PostgresConnectionSettings.redact("postgres://u@h/d") == "postgres://u@h/d")
        #expect(PostgresConnectionSettings.redact("bad://a:b:c@@h") == "bad://a:***@h")
    }
}
