<?xml version="1.0" encoding="UTF-8"?>
<!--
  The volume's own parts (PDF output), from the edition file (tei/edition.xml) and the edition
  context: with $part = 'preamble' the document settings (title, authors, language), 'front'
  the title page, contents and editorial note, 'back' the indices and the list of sources.
  The source document is the edition file, or an empty TEI element when there is none.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:f="urn:x-tei-edition:functions"
  xmlns:ty="urn:x-tei-edition:typst"
  xmlns:fp="urn:x-tei-edition:private"
  exclude-result-prefixes="#all">

  <xsl:import href="../lib/common.xsl"/>
  <xsl:import href="typst.xsl"/>
  <xsl:import href="text.xsl"/>
  <xsl:import href="header.xsl"/>

  <xsl:output method="text" encoding="UTF-8"/>

  <xsl:param name="part" as="xs:string" select="'front'"/>
  <xsl:param name="build-date" as="xs:string" select="''"/>
  <xsl:param name="default-lang" as="xs:string" select="'en'"/>
  <!-- for per-document PDFs: the document's own title as the PDF title -->
  <xsl:param name="pdf-title" as="xs:string" select="''"/>
  <xsl:param name="doc-key" as="xs:string" select="''"/>
  <!-- for per-document PDFs: the document's permanent address ("" when the edition gives no
       [html] base_url) -->
  <xsl:param name="permalink" as="xs:string" select="''"/>

  <!-- a volume published in parts: "2/3" for the second of three (toolkit/outputs/pdf.py) -->
  <xsl:param name="volume-part" as="xs:string" select="''"/>

  <xsl:variable name="header" select="/tei:TEI/tei:teiHeader"/>
  <xsl:variable name="titles" select="$header/tei:fileDesc/tei:titleStmt/tei:title"/>
  <xsl:variable name="volume-title" select="f:edition-title(/, $edition-context)"/>
  <xsl:variable name="published" select="$header/tei:fileDesc/tei:publicationStmt/tei:date[normalize-space() or @*][1]"/>
  <xsl:variable name="date-label" select="if ($published) then f:date-element-label($published) else f:date-label($build-date)"/>
  <xsl:variable name="lang" select="(ty:lang(/tei:TEI/@xml:lang), ty:lang($default-lang), 'en')[. != ''][1]"/>

  <xsl:template match="/">
    <xsl:choose>
      <xsl:when test="$part = 'preamble'"><xsl:call-template name="preamble"/></xsl:when>
      <xsl:when test="$part = 'front'"><xsl:call-template name="front"/></xsl:when>
      <xsl:when test="$part = 'back'"><xsl:call-template name="back"/></xsl:when>
    </xsl:choose>
  </xsl:template>

  <!-- #16: the template the volume imports: the house style, or [pdf] template (the layer the
       toolkit compiles over this stylesheet then sets this: toolkit/outputs/custom.py) -->
  <xsl:variable name="fp:typst-template" as="xs:string" select="'/edition.typ'"/>

  <xsl:template name="preamble">
    <xsl:variable name="authors" select="distinct-values(
      for $r in $header/tei:fileDesc/tei:titleStmt/(tei:editor | tei:author | tei:respStmt/(* except tei:resp))
      return f:reading-text($r))[. != '']"/>
    <xsl:value-of select="concat('#import ', ty:lit($fp:typst-template), ': *&#10;')"/>
    <xsl:value-of select="concat('#show: ed-volume.with(title: ', ty:lit(if ($pdf-title) then $pdf-title
                                        else if ($volume-part) then concat($volume-title, ' (', $volume-part, ')')
                                        else $volume-title),
                                 ', volume-title: ', ty:lit($volume-title),
                                 ', author: ', ty:array($authors),
                                 ', lang: ', ty:lit($lang), ')&#10;')"/>
    <!-- a per-document PDF names the edition it belongs to, and how to cite it, on its first page -->
    <xsl:if test="$pdf-title != ''">
      <xsl:variable name="publisher" select="($header/tei:fileDesc/tei:publicationStmt/(tei:publisher | tei:distributor | tei:authority))[1]"/>
      <xsl:value-of select="concat('#ed-standalone(edition: ', ty:lit($volume-title),
                                   ', publisher: ', ty:lit(if ($publisher) then f:reading-text($publisher) else ''),
                                   ', date: ', ty:lit($date-label),
                                   ', url: ', ty:lit(f:safe-url($permalink)), ')&#10;')"/>
    </xsl:if>
  </xsl:template>

  <xsl:template name="front">
    <xsl:variable name="fd" select="$header/tei:fileDesc"/>
    <xsl:text>#ed-title-page(title: </xsl:text>
    <xsl:value-of select="ty:lit($volume-title)"/>
    <xsl:for-each select="($titles[@type = 'sub'])[1]">
      <xsl:value-of select="concat(', subtitle: ', ty:lit(f:reading-text(.)))"/>
    </xsl:for-each>
    <xsl:if test="matches($volume-part, '^\d+/\d+$')">
      <xsl:value-of select="concat(', part: (', replace($volume-part, '/', ', '), ')')"/>
    </xsl:if>
    <xsl:text>, resp: (</xsl:text>
    <xsl:for-each select="$fd/tei:titleStmt/(tei:editor | tei:author | tei:respStmt)">
      <xsl:value-of select="ty:mark(.)"/>
      <xsl:text>(</xsl:text>
      <xsl:value-of select="ty:lit(if (self::tei:respStmt) then normalize-space(tei:resp[1])
                                   else if (self::tei:author) then f:msg('info.author') else f:msg('resp.editor'))"/>
      <xsl:text>, [</xsl:text>
      <xsl:for-each select="if (self::tei:respStmt) then * except tei:resp else .">
        <xsl:if test="position() gt 1"><xsl:text>, </xsl:text></xsl:if>
        <xsl:apply-templates select="if (self::tei:author or self::tei:editor) then node() else ." mode="ty:margin"/>
      </xsl:for-each>
      <xsl:text>]), </xsl:text>
    </xsl:for-each>
    <xsl:text>)</xsl:text>
    <xsl:for-each select="($fd/tei:publicationStmt/(tei:publisher | tei:distributor | tei:authority))[1]">
      <xsl:value-of select="concat(', publisher: ', ty:lit(f:reading-text(.)))"/>
    </xsl:for-each>
    <xsl:if test="$date-label != ''">
      <xsl:value-of select="concat(', date: ', ty:lit($date-label))"/>
    </xsl:if>
    <xsl:variable name="licence" select="$fd/tei:publicationStmt/tei:availability//tei:licence"/>
    <xsl:variable name="rights" select="$fd/tei:publicationStmt/tei:availability[not(.//tei:licence)]/tei:p"/>
    <xsl:if test="$licence">
      <xsl:text>, licence: [</xsl:text>
      <xsl:for-each select="$licence">
        <xsl:if test="position() gt 1"><xsl:text>#parbreak()</xsl:text></xsl:if>
        <xsl:apply-templates select="node()" mode="ty:margin"/>
        <xsl:if test="f:safe-url(@target)">
          <xsl:value-of select="concat(' #ed-link(', ty:lit(f:safe-url(@target)), ')[', ty:text(@target), ']')"/>
        </xsl:if>
      </xsl:for-each>
      <xsl:text>]</xsl:text>
    </xsl:if>
    <xsl:if test="$rights">
      <xsl:text>, rights: [</xsl:text>
      <xsl:for-each select="$rights">
        <xsl:if test="position() gt 1"><xsl:text>#parbreak()</xsl:text></xsl:if>
        <xsl:apply-templates select="node()" mode="ty:margin"/>
      </xsl:for-each>
      <xsl:text>]</xsl:text>
    </xsl:if>
    <xsl:text>)&#10;#ed-contents()&#10;#ed-editorial-note(project: </xsl:text>
    <xsl:variable name="project" select="$header/tei:encodingDesc/tei:projectDesc/tei:p,
                                         $header/tei:fileDesc/tei:notesStmt/tei:note[@type = 'listing']"/>
    <xsl:choose>
      <xsl:when test="$project">
        <xsl:text>[</xsl:text>
        <xsl:for-each select="$project">
          <xsl:value-of select="ty:mark(.)"/>
          <xsl:text>#ed-p[</xsl:text><xsl:apply-templates select="node()"/><xsl:text>]</xsl:text>
        </xsl:for-each>
        <xsl:text>]</xsl:text>
      </xsl:when>
      <xsl:otherwise>none</xsl:otherwise>
    </xsl:choose>
    <xsl:text>)&#10;</xsl:text>
  </xsl:template>

  <xsl:template name="back">
    <xsl:text>#ed-back()&#10;</xsl:text>
    <xsl:for-each select="('person', 'place', 'org', 'name')">
      <xsl:variable name="kind" select="."/>
      <xsl:value-of select="concat('#ed-index(', ty:lit($kind), ', (')"/>
      <xsl:for-each select="$edition-context/edition/entity[@kind = $kind][mentioned]">
        <!-- the context's heading, sort key and variants (entities.heading, Entity.sort_key,
             names.index_variants: toolkit/context.py), as the HTML index has them -->
        <xsl:value-of select="concat('(key: ', ty:lit(@id), ', name: ', ty:lit(@heading),
                                     ', sort: ', ty:lit(@sort),
                                     ', variants: ', ty:array(name[@type = 'variant'][not(@indexed = 'false')]), '), ')"/>
      </xsl:for-each>
      <xsl:text>))&#10;</xsl:text>
    </xsl:for-each>
    <xsl:text>#ed-sources()&#10;</xsl:text>
  </xsl:template>
</xsl:stylesheet>
