package dev.ancla.source.drive;

import com.google.api.client.http.HttpResponseException;
import com.google.api.services.drive.model.File;
import dev.ancla.config.Config.DriveSpec;
import dev.ancla.source.CursorExpiredException;
import dev.ancla.source.Fetched;
import dev.ancla.source.Listing;
import dev.ancla.source.Source;
import dev.ancla.source.SourceException;
import dev.ancla.source.SourceItem;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Google Drive folder ({@code gdrive:FOLDER_ID}, recursive) or a whole shared drive ({@code
 * gdrive-shared:DRIVE_ID}), read with a service account that the folder is shared with as Viewer.
 *
 * <p>The first listing takes {@code changes.getStartPageToken} before walking the tree, so a change
 * made during the walk is seen again next time rather than lost. Later listings page through {@code
 * changes.list} from the cursor: a sync with nothing changed is one request. The folder map is kept
 * beside the cursor as the listing's state ({@link CursorCodec}), so the cursor stays small.
 *
 * <p>Never deletes on error: a root that cannot be read, a key Google refuses or a rate limit that
 * does not pass throws, and the sync keeps every document it had.
 */
public final class DriveSource implements Source {
  private static final Logger log = LoggerFactory.getLogger(DriveSource.class);

  private final String id;
  private final String rootId;
  private final boolean sharedDrive;
  private final DriveConnection connection;
  private final DriveApi api;
  private volatile List<String> skipped = List.of();

  DriveSource(
      String id,
      String rootId,
      boolean sharedDrive,
      DriveConnection connection,
      Duration retryBase,
      Retrier.Sleeper sleeper) {
    this.id = id;
    this.rootId = rootId;
    this.sharedDrive = sharedDrive;
    this.connection = connection;
    this.api =
        new DriveApi(
            connection.drive,
            connection.retrier(retryBase, sleeper),
            sharedDrive ? Optional.of(rootId) : Optional.empty());
  }

  /**
   * A Drive source with the key and settings of {@code spec}.
   *
   * @param rootId a folder id, or a shared drive's id when {@code sharedDrive}
   * @throws SourceException when the key cannot be read (the message names the variable)
   */
  public static DriveSource open(String id, String rootId, boolean sharedDrive, DriveSpec spec)
      throws SourceException {
    return new DriveSource(
        id,
        rootId,
        sharedDrive,
        DriveConnection.open(spec),
        Duration.ofSeconds(1),
        d -> Thread.sleep(d));
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public String kind() {
    return "gdrive";
  }

  @Override
  public String describe() {
    return (sharedDrive ? "gdrive-shared:" : "gdrive:") + rootId;
  }

  /** The service account's e-mail: what folders are shared with. */
  public String clientEmail() {
    return connection.clientEmail;
  }

  /** What the last full listing skipped and why (loops, dangling shortcuts). */
  public List<String> skipped() {
    return skipped;
  }

  @Override
  public List<String> listingSkips() {
    return skipped;
  }

  @Override
  public void check() throws IOException {
    try {
      if (sharedDrive) {
        api.sharedDrive(rootId);
        return;
      }
      File root = api.get(rootId);
      if (Boolean.TRUE.equals(root.getTrashed())) {
        throw new SourceException(
            describe()
                + ": the folder \""
                + root.getName()
                + "\" is in the trash; restore it in Drive");
      }
      if (!DriveApi.FOLDER.equals(root.getMimeType())) {
        throw new SourceException(
            describe()
                + ": "
                + rootId
                + " is a file (\""
                + root.getName()
                + "\"), not a folder; use the id of the folder that holds it, from its URL"
                + " https://drive.google.com/drive/folders/ID");
      }
    } catch (SourceException e) {
      throw e;
    } catch (IOException e) {
      throw failure(e);
    }
  }

  @Override
  public Listing list(Optional<String> cursor) throws IOException {
    return list(cursor, Optional.empty());
  }

  @Override
  public Listing list(Optional<String> cursor, Optional<String> folders) throws IOException {
    if (cursor.isEmpty()) {
      return full();
    }
    CursorCodec.State state = CursorCodec.decode(cursor.get(), folders, rootId, describe());
    DriveApi.Changes changes;
    try {
      changes = api.changes(state.pageToken());
    } catch (HttpResponseException e) {
      int status = e.getStatusCode();
      if ((status == 400 || status == 404 || status == 410) && !Retrier.rateLimited(e)) {
        throw new CursorExpiredException(
            describe() + ": Drive rejected the stored change token (" + Retrier.describe(e) + ")",
            e);
      }
      throw failure(e);
    } catch (IOException e) {
      throw failure(e);
    }
    if (changes.changes().isEmpty()) {
      return changes(
          List.of(), List.of(), new CursorCodec.State(changes.newStartPageToken(), state.map()));
    }
    ChangeApplier.Result result;
    try {
      result = new ChangeApplier(api, state.map(), describe()).apply(changes.changes());
    } catch (SourceException e) {
      throw e;
    } catch (IOException e) {
      throw failure(e);
    }
    log.info(
        "{}: {} changes: {} to index, {} to remove",
        describe(),
        changes.changes().size(),
        result.upserts().size(),
        result.removedIds().size());
    return changes(
        result.upserts(),
        result.removedIds(),
        new CursorCodec.State(changes.newStartPageToken(), result.map()));
  }

  private static Listing.Changes changes(
      List<SourceItem> upserts, List<String> removedIds, CursorCodec.State state) {
    CursorCodec.Encoded encoded = CursorCodec.encode(state);
    return new Listing.Changes(
        upserts, removedIds, Optional.of(encoded.cursor()), Optional.of(encoded.folders()));
  }

  private Listing.Full full() throws IOException {
    check(); // an unshared folder lists as empty: never take that for "everything was deleted"
    try {
      String token = api.startPageToken(); // before the walk: nothing changed during it is lost
      var map = new FolderMap(rootId);
      var tree = new DriveTree(api, map, describe()).walk(rootId, "");
      skipped = List.copyOf(tree.skipped);
      var items = new ArrayList<>(tree.items.values()); // sorted by id
      log.info(
          "{}: listed {} items in {} folders ({} skipped)",
          describe(),
          items.size(),
          map.folders.size() + 1,
          tree.skipped.size());
      CursorCodec.Encoded encoded = CursorCodec.encode(new CursorCodec.State(token, map));
      return new Listing.Full(items, Optional.of(encoded.cursor()), Optional.of(encoded.folders()));
    } catch (SourceException e) {
      throw e;
    } catch (IOException e) {
      throw failure(e);
    }
  }

  @Override
  public Fetched fetch(SourceItem item, long maxBytes) throws IOException {
    String what = describe() + " " + item.path() + " (" + item.id() + ")";
    Optional<String> export = DriveItems.exportType(item);
    try {
      if (export.isEmpty()) {
        dev.ancla.source.Downloads.checkSize(what, item.size(), maxBytes);
        return api.media(item.id(), maxBytes, what);
      }
      try {
        return api.export(item.id(), export.get(), maxBytes, what);
      } catch (HttpResponseException e) {
        if (!"exportSizeLimitExceeded".equals(Retrier.reason(e))) {
          throw e;
        }
        String link = api.exportLinks(item.id()).get(export.get());
        if (link == null) {
          throw new SourceException(
              what
                  + " is too large for files.export and Drive gives no export link for "
                  + export.get());
        }
        log.info("{}: over Drive's export limit; downloading its export link", what);
        return api.exportLink(item.id(), link, maxBytes, what);
      }
    } catch (SourceException e) {
      throw e;
    } catch (HttpResponseException e) {
      throw new SourceException(what + " cannot be read: " + Retrier.describe(e), e);
    } catch (IOException e) {
      throw failure(e);
    }
  }

  /** A message that says what failed and the fix, without any part of the key. */
  private SourceException failure(IOException e) {
    if (Retrier.authFailure(e)) {
      return new SourceException(
          describe()
              + ": Google refused the service-account key in ANCLA_DRIVE_CREDENTIALS ("
              + connection.clientEmail
              + "): "
              + firstLine(e.getMessage())
              + ". Check that the key is current (Google Cloud Console > IAM > Service accounts >"
              + " Keys) and that the Google Drive API is enabled for its project",
          e);
    }
    if (e instanceof HttpResponseException http) {
      if (Retrier.rateLimited(http) || http.getStatusCode() >= 500) {
        return new SourceException(
            describe()
                + ": Drive kept answering "
                + Retrier.describe(e)
                + " after retries; the next sync tries again (lower"
                + " ANCLA_DRIVE_REQUESTS_PER_SECOND if this repeats)",
            e);
      }
      if (http.getStatusCode() == 404 || http.getStatusCode() == 403) {
        return new SourceException(notShared(), e);
      }
      if (http.getStatusCode() == 401) {
        return new SourceException(
            describe()
                + ": Drive refused the access token of "
                + connection.clientEmail
                + " (HTTP 401); check ANCLA_DRIVE_CREDENTIALS and ANCLA_DRIVE_SUBJECT",
            e);
      }
      return new SourceException(describe() + ": Drive answered " + Retrier.describe(e), e);
    }
    return new SourceException(
        describe() + ": cannot reach Google Drive: " + Retrier.describe(e), e);
  }

  private String notShared() {
    if (sharedDrive) {
      return describe()
          + ": the shared drive "
          + rootId
          + " cannot be read by "
          + connection.clientEmail
          + ". In Google Drive open the shared drive, choose Manage members, and add "
          + connection.clientEmail
          + " as Viewer (or check the drive id in ANCLA_SOURCES)";
    }
    return describe()
        + ": the folder "
        + rootId
        + " is not shared with "
        + connection.clientEmail
        + " (or does not exist). In Google Drive right-click the folder, choose Share, add "
        + connection.clientEmail
        + " as Viewer and untick Notify (or check the folder id in ANCLA_SOURCES)";
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "no details";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
