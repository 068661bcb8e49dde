namespace BackupPanel.Core.Archive;

/// <summary>
/// User and group names from <c>/etc/passwd</c> and <c>/etc/group</c>, read once: tar entries carry names as well as
/// ids, and a restore prefers the name when it exists on this machine (as GNU tar does).
/// </summary>
public sealed class OwnerNames
{
    private readonly Dictionary<int, string> _users;
    private readonly Dictionary<int, string> _groups;
    private readonly Dictionary<string, int> _userIds;
    private readonly Dictionary<string, int> _groupIds;

    private OwnerNames(string passwd, string group)
    {
        _users = Parse(passwd);
        _groups = Parse(group);
        _userIds = Invert(_users);
        _groupIds = Invert(_groups);
    }

    /// <summary>The names of this machine, as they were when the process started.</summary>
    public static OwnerNames System { get; } = Read();

    /// <summary>The names of this machine now (a user added since start-up included).</summary>
    public static OwnerNames Read() => new(ReadOrEmpty("/etc/passwd"), ReadOrEmpty("/etc/group"));

    /// <summary>The id of the user called <paramref name="name"/>, or null when there is none.</summary>
    public int? FindUser(string name) => _userIds.TryGetValue(name, out var id) ? id : null;

    /// <summary>The id of the group called <paramref name="name"/>, or null when there is none.</summary>
    public int? FindGroup(string name) => _groupIds.TryGetValue(name, out var id) ? id : null;

    /// <summary>The user name of <paramref name="uid"/>, or "" when unknown.</summary>
    public string UserName(int uid) => _users.GetValueOrDefault(uid, "");

    /// <summary>The group name of <paramref name="gid"/>, or "" when unknown.</summary>
    public string GroupName(int gid) => _groups.GetValueOrDefault(gid, "");

    /// <summary>The id to restore: the local id of <paramref name="name"/> when it exists, else <paramref name="id"/>.</summary>
    public int UserId(string? name, int id) => name is { Length: > 0 } && _userIds.TryGetValue(name, out var local) ? local : id;

    /// <summary>The id to restore: the local id of <paramref name="name"/> when it exists, else <paramref name="id"/>.</summary>
    public int GroupId(string? name, int id) => name is { Length: > 0 } && _groupIds.TryGetValue(name, out var local) ? local : id;

    private static Dictionary<int, string> Parse(string text)
    {
        var map = new Dictionary<int, string>();
        foreach (var fields in text.Split('\n').Select(line => line.Split(':')).Where(f => f.Length > 2))
        {
            if (int.TryParse(fields[2], out var id))
            {
                map.TryAdd(id, fields[0]);
            }
        }

        return map;
    }

    private static Dictionary<string, int> Invert(Dictionary<int, string> map)
    {
        var inverted = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (id, name) in map)
        {
            inverted.TryAdd(name, id);
        }

        return inverted;
    }

    private static string ReadOrEmpty(string path) => File.Exists(path) ? File.ReadAllText(path) : "";
}
