/// The coding key of an array element in coding paths ("Index 3", as Foundation names it).
struct ArrayIndexKey: CodingKey {
    var stringValue: String
    var intValue: Int?
    init(_ i: Int) {
        stringValue = "Index \(i)"
        intValue = i
    }
    init?(stringValue: String) { nil }
    init?(intValue: Int) { self.init(intValue) }
}
