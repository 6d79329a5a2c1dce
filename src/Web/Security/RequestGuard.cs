using Microsoft.AspNetCore.Http;

namespace Tether.Web.Security;

/// <summary>
/// Every request passes here first. 403 for a Host or Origin that is not the dashboard's (DNS rebinding, another site
/// or another local port posting to us), or a browser request another site started; 401 without the token. The token
/// comes as <c>Authorization: Bearer</c>, or once in the first URL (<c>/?token=</c>, what `tether open` opens), which
/// sets a <c>SameSite=Strict; HttpOnly</c> cookie and redirects to the same page without it.
/// </summary>
public sealed class RequestGuard(AccessToken token, AllowedHosts hosts)
{
    public const string TokenQuery = "token";

    public string CookieName => $"tether-{hosts.Port}"; // cookies are per host, not per port: one name per dashboard

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var request = context.Request;
        var response = context.Response;
        response.Headers["X-Content-Type-Options"] = "nosniff";
        response.Headers["Referrer-Policy"] = "no-referrer";
        response.Headers["X-Frame-Options"] = "DENY";
        if (Forbidden(request) is { } why)
        {
            await RefuseAsync(context, StatusCodes.Status403Forbidden, why);
            return;
        }
        if (request.Query.TryGetValue(TokenQuery, out var fromUrl) && HttpMethods.IsGet(request.Method) && token.Matches(fromUrl.ToString()))
        {
            response.Cookies.Append(CookieName, token.Value, new CookieOptions
            {
                HttpOnly = true, SameSite = SameSiteMode.Strict, Path = "/", IsEssential = true,
                Secure = request.IsHttps,
            });
            response.Headers.CacheControl = "no-store";
            response.Redirect(request.PathBase + request.Path, permanent: false); // the token leaves the address bar
            return;
        }
        if (!token.Matches(Presented(request)))
        {
            await RefuseAsync(context, StatusCodes.Status401Unauthorized,
                "this dashboard needs its token: open it with 'tether open' (or 'tether open --url'), or send 'Authorization: Bearer <.git/tether/web-token>'");
            return;
        }
        await next(context);
    }

    private string? Forbidden(HttpRequest request)
    {
        if (!hosts.IsAllowed(request.Host.Value)) return $"the Host header '{request.Host.Value}' is not this dashboard's";
        if (request.Headers.Origin is { Count: > 0 } origin && !hosts.IsAllowedOrigin(origin.ToString()))
            return $"requests from '{origin}' are not accepted";
        var site = request.Headers["Sec-Fetch-Site"].ToString();
        var navigation = HttpMethods.IsGet(request.Method) && request.Headers["Sec-Fetch-Mode"] == "navigate";
        if (site is "cross-site" or "same-site" && !navigation) return "requests started by another site are not accepted";
        return null;
    }

    private string? Presented(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.Ordinal)) return authorization["Bearer ".Length..].Trim();
        return request.Cookies.TryGetValue(CookieName, out var cookie) ? cookie : null;
    }

    private static Task RefuseAsync(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new Api.ApiErrorBody(message));
    }
}
