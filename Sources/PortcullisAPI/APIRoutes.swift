import Hummingbird

/// The API's endpoints under the configured prefix:
/// `GET /api/get_banlist`, `GET /api/bans`, `GET /api/jails`, `GET /metrics`.
struct APIRoutes: Sendable {
    let source: any BanExportSource

    func register(on router: Router<APIRequestContext>, prefix: String) {
        let group = router.group(RouterPath(prefix))
        group.get("api/get_banlist") { request, _ in await banList(request, json: false) }
        group.get("api/bans") { request, _ in await banList(request, json: true) }
        group.get("api/jails") { _, _ in
            APIResponse.text(JailListRenderer.json(await source.jails()), contentType: BanListFormat.json.contentType)
        }
        group.get("metrics") { _, _ in
            APIResponse.text(PrometheusRenderer.render(await source.metrics()), contentType: PrometheusRenderer.contentType)
        }
    }

    /// `get_banlist` in the requested `fwtype`; `bans` always as JSON.
    private func banList(_ request: Request, json: Bool) async -> Response {
        let query: BanListQuery
        do {
            query = try BanListQuery(request.uri.queryParameters.map { (String($0.key), String($0.value)) })
        } catch {
            return APIResponse.error(.badRequest, error.message)
        }
        if let jail = query.jail {
            let names = await source.jails().map(\.name)
            guard names.contains(jail) else {
                return APIResponse.error(.notFound, "no jail '\(jail)'; jails: \(names.sorted().joined(separator: ", "))")
            }
        }
        let format = json ? .json : query.format
        let bans = await source.bans(jail: query.jail)
        return APIResponse.text(format.render(bans, version: query.version, options: query.awsWAF), contentType: format.contentType)
    }
}
