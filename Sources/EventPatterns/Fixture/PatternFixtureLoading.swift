import Foundation

extension PatternFixture {
    /// The cases of a fixture file, or of every `*.json` file below a folder (recursively, in
    /// byte order of their paths; names starting with "." are skipped). Each case's `file` is
    /// the path as reached from `url` (relative when `url` is).
    ///
    /// Throws `LoadError` naming the file (and case) when a file is unreadable, not JSON, or a
    /// case is malformed.
    public static func load(_ url: URL) throws(LoadError) -> [PatternFixture] {
        let root = url.relativePath
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder) else {
            throw LoadError(file: root, reason: "no such file or folder")
        }
        guard isFolder.boolValue else { return try loadFile(root, url) }
        var cases: [PatternFixture] = []
        for (path, file) in try jsonFiles(in: root, url) { cases += try loadFile(path, file) }
        return cases
    }

    private static func loadFile(_ path: String, _ url: URL) throws(LoadError) -> [PatternFixture] {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw LoadError(file: path, reason: "cannot read the file")
        }
        let json: JSONValue
        do {
            json = try JSONParser.parse(bytes: Array(data))
        } catch {
            throw LoadError(file: path, reason: "not valid JSON: \(error)")
        }
        return try parse(json, file: path)
    }

    /// The `*.json` files below a folder: (displayed path, URL), sorted by path.
    private static func jsonFiles(in path: String, _ url: URL) throws(LoadError) -> [(String, URL)] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: url.path)
        } catch {
            throw LoadError(file: path, reason: "cannot list the folder")
        }
        var found: [(String, URL)] = []
        for name in names.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) where !name.hasPrefix(".") {
            let childPath = path.hasSuffix("/") ? path + name : path + "/" + name
            let child = url.appendingPathComponent(name)
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: child.path, isDirectory: &isFolder) else { continue }
            if isFolder.boolValue {
                found += try jsonFiles(in: childPath, child)
            } else if name.hasSuffix(".json") {
                found.append((childPath, child))
            }
        }
        return found
    }
}
