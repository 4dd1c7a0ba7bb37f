package dev.ancla.source.drive;

import java.io.*;
import java.nio.file.*;
import java.util.*;
import java.util.zip.*;
import org.apache.lucene.document.*;
import org.apache.lucene.index.*;
import org.apache.lucene.search.*;
import org.apache.lucene.store.*;

/**
 * Keeps the folder map as one state document per source (what {@link CursorCodec} writes) or one
 * document per folder? Bytes on disk and the time to read the whole map back, on a real Lucene
 * directory; quoted in docs/BENCHMARKS.md section 9f. Run it with the test classpath, e.g. {@code
 * java -cp "$(cat cp.txt)" src/test/java/dev/ancla/source/drive/FolderMapLayoutBench.java 1000}.
 */
public class FolderMapLayoutBench {
  static final String A = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

  static String id(SplittableRandom r) {
    var b = new StringBuilder("1");
    for (int i = 1; i < 33; i++) b.append(A.charAt(r.nextInt(64)));
    return b.toString();
  }

  public static void main(String[] args) throws Exception {
    int n = Integer.parseInt(args[0]);
    var r = new SplittableRandom(7);
    String[] names = {"Contratos", "Facturas", "Actas", "Proyectos", "Clientes", "Informes"};
    var ids = new ArrayList<String>();
    var folders = new TreeMap<String, String[]>();
    for (int i = 0; i < n; i++) {
      String id = id(r);
      String parent = i < 10 ? "1Root" : ids.get(i / 10 - 1);
      folders.put(id, new String[] {names[i % 6] + " " + (2000 + i), parent});
      ids.add(id);
    }
    // one document: the map as CursorCodec writes it
    var map = new FolderMap("1Root");
    folders.forEach((k, v) -> map.folders.put(k, new FolderMap.Folder(v[0], v[1])));
    String blob = CursorCodec.encode(new CursorCodec.State("1", map)).folders();
    Path one = Files.createTempDirectory("one"), per = Files.createTempDirectory("per");
    try (var d = FSDirectory.open(one);
        var w = new IndexWriter(d, new IndexWriterConfig())) {
      var doc = new Document();
      doc.add(new StringField("kind", "state", Field.Store.NO));
      doc.add(new StringField("id", "s:k", Field.Store.YES));
      doc.add(new StoredField("state_value", blob));
      w.addDocument(doc);
      w.commit();
    }
    try (var d = FSDirectory.open(per);
        var w = new IndexWriter(d, new IndexWriterConfig())) {
      for (var e : folders.entrySet()) {
        var doc = new Document();
        doc.add(new StringField("kind", "state", Field.Store.NO));
        doc.add(new StringField("id", "f:" + e.getKey(), Field.Store.YES));
        doc.add(new StoredField("name", e.getValue()[0]));
        doc.add(new StoredField("parent", e.getValue()[1]));
        w.addDocument(doc);
      }
      w.forceMerge(1);
      w.commit();
    }
    long[] t1 = new long[7], t2 = new long[7];
    for (int k = 0; k < 7; k++) {
      long s = System.nanoTime();
      try (var d = FSDirectory.open(one);
          var rd = DirectoryReader.open(d)) {
        var sr = new IndexSearcher(rd);
        var h = sr.search(new TermQuery(new Term("id", "s:k")), 1).scoreDocs[0];
        String v = sr.storedFields().document(h.doc).get("state_value");
        CursorCodec.decode(
            "gd2:" + CursorCodec.version(v) + ":1", Optional.of(v), "1Root", "bench");
      }
      t1[k] = System.nanoTime() - s;
      s = System.nanoTime();
      try (var d = FSDirectory.open(per);
          var rd = DirectoryReader.open(d)) {
        var sr = new IndexSearcher(rd);
        var q = new TermQuery(new Term("kind", "state"));
        var sf = sr.storedFields();
        int c = 0;
        for (var h : sr.search(q, n).scoreDocs) {
          var doc = sf.document(h.doc);
          c += doc.get("name").length();
        }
      }
      t2[k] = System.nanoTime() - s;
    }
    Arrays.sort(t1);
    Arrays.sort(t2);
    System.out.printf(
        "%,d folders: one document %,d bytes on disk, read+decode median %.1f ms; per folder %,d bytes on disk, read median %.1f ms%n",
        n, size(one), t1[3] / 1e6, size(per), t2[3] / 1e6);
    delete(one);
    delete(per);
  }

  static void delete(Path p) throws IOException {
    try (var s = Files.walk(p)) {
      for (Path f : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(f);
      }
    }
  }

  static long size(Path p) throws IOException {
    try (var s = Files.list(p)) {
      return s.mapToLong(f -> f.toFile().length()).sum();
    }
  }
}
