import Foundation
import NodeHTTP

/// HTTP dates (RFC 9110 §5.6.7): IMF-fixdate out (`Sun, 06 Nov 1994 08:49:37 GMT`); in, that
/// and the two obsolete forms a recipient must accept, RFC 850 (`Sunday, 06-Nov-94 08:49:37 GMT`)
/// and asctime (`Sun Nov  6 08:49:37 1994`).
enum HTTPDate {
    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    private static let monthNames = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ]
    private static let weekdayNames = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]

    /// IMF-fixdate of the whole second the date falls in, computed directly (every download
    /// sends one; a Foundation format style went through ICU for each).
    static func string(from date: Date) -> String {
        let seconds = Int64(date.timeIntervalSince1970.rounded(.down))
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        let (year, month, day) = CivilDate.fromDays(days)
        let weekday = Int((days % 7 + 7 + 4) % 7)  // 1970-01-01 was a Thursday
        return "\(weekdayNames[weekday]), \(twoDigits(day)) \(monthNames[Int(month) - 1]) \(year) "
            + "\(twoDigits(secondOfDay / 3600)):\(twoDigits(secondOfDay / 60 % 60)):\(twoDigits(secondOfDay % 60)) GMT"
    }

    private static func twoDigits(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }

    /// The date of any of the three forms (the weekday is not checked), or `nil`.
    /// - Parameter now: Resolves RFC 850's two-digit year: the year of the current century with those
    ///   digits, or of the previous century when that would lie more than 50 years in the future.
    static func date(from text: String, now: Date = Date()) -> Date? {
        guard let fields = fields(of: text, now: now) else { return nil }
        let (day, month, year, time) = fields
        let clock = time.split(separator: ":", omittingEmptySubsequences: false).map { Int64($0) }
        guard let day, let month, let year, (1...31).contains(day), clock.count == 3,
            let hour = clock[0], let minute = clock[1], let second = clock[2],
            (0...23).contains(hour), (0...59).contains(minute), (0...60).contains(second)
        else { return nil }
        let days = CivilDate.days(year: year, month: month, day: day)
        return Date(timeIntervalSince1970: Double(days * 86_400 + hour * 3600 + minute * 60 + second))
    }

    /// Day, month, year and `hh:mm:ss` of one of the three forms, before range checks.
    private static func fields(of text: String, now: Date) -> (Int64?, Int64?, Int64?, String)? {
        let words = text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        if words.count == 6, words[0].hasSuffix(","), words[5] == "GMT" {  // IMF-fixdate
            return (Int64(words[1]), monthNumber(words[2]), fourDigits(words[3]), words[4])
        }
        if words.count == 4, words[0].hasSuffix(","), words[3] == "GMT" {  // RFC 850
            let parts = words[1].split(separator: "-", omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 3, parts[2].count == 2, let twoDigits = Int64(parts[2]) else { return nil }
            return (Int64(parts[0]), monthNumber(parts[1]), century(twoDigits, now: now), words[2])
        }
        if words.count == 5, !words[0].hasSuffix(",") {  // asctime
            return (Int64(words[2]), monthNumber(words[1]), fourDigits(words[4]), words[3])
        }
        return nil
    }

    private static func monthNumber(_ text: String) -> Int64? {
        months.firstIndex(of: text.lowercased()).map { Int64($0 + 1) }
    }

    private static func fourDigits(_ text: String) -> Int64? {
        text.count == 4 ? Int64(text) : nil
    }

    private static func century(_ twoDigits: Int64, now: Date) -> Int64 {
        let currentYear = CivilDate.fromDays(Int64((now.timeIntervalSince1970 / 86_400).rounded(.down))).year
        var year = currentYear - currentYear % 100 + twoDigits
        if year > currentYear + 50 { year -= 100 }
        return year
    }
}
