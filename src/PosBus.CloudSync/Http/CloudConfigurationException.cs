namespace PosBus.CloudSync.Http;

/// <summary>The cloud refused the lane itself (401/403 wrong key, 404 no such function): an operator must fix configuration.</summary>
public sealed class CloudConfigurationException(string message) : Exception(message);
