using System.Security.Cryptography;
using System.Text;
using Azure.Data.Tables;
using Workflows.Storage;

namespace Workflows.Tests.Safety;

/// <summary>
/// Every table the app owns (<see cref="TableNames.All"/>) and its task hub's instance and history tables, each as a row
/// count and a hash over every row's keys and ETag: any insert, update or delete changes it.
/// </summary>
public static class TableSnapshot
{
    public static async Task<IReadOnlyList<string>> TakeAsync(string connectionString, string taskHub)
    {
        var service = new TableServiceClient(connectionString);
        var lines = new List<string>();
        foreach (var name in TableNames.All.Concat([$"{taskHub}Instances", $"{taskHub}History"]))
        {
            var rows = new List<string>();
            try
            {
                await foreach (var e in service.GetTableClient(name).QueryAsync<TableEntity>(select: ["PartitionKey", "RowKey"]))
                    rows.Add($"{e.PartitionKey}\n{e.RowKey}\n{e.ETag}");
            }
            catch (Azure.RequestFailedException e) when (e.Status == 404) { }
            rows.Sort(StringComparer.Ordinal);
            var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("\n\n", rows))));
            lines.Add($"{name}: {rows.Count} rows, {hash[..16]}");
        }
        return lines;
    }
}
