namespace PosBus.Contracts;

/// <summary>The reasons an <see cref="InventoryAdjusted"/> may carry.</summary>
public static class InventoryReasons
{
    public const string Sale = "sale";
    public const string Return = "return";
    public const string Count = "count";
    public const string Damage = "damage";
    public const string Receipt = "receipt";
}
