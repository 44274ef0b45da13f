using System.Reflection;

namespace PosBus.Operations.StatusPage;

/// <summary>The store manager's page (<c>StatusPage/index.html</c>, embedded): one file, no external scripts or fonts.</summary>
public static class StatusPageHtml
{
    public static string Text { get; } = Read();

    static string Read()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("PosBus.Operations.StatusPage.index.html")
            ?? throw new InvalidOperationException("The status page resource is missing from the build.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
