<?xml version="1.0" encoding="UTF-8"?>
<!--
  One TEI document → one Typst fragment: a call of ed-document (edition.typ) holding the heading
  data, the summary, the key to the hands, the text, and after it the source (manuscript
  description and source line). The toolkit puts the
  fragments of all documents in date order into the volume, or one alone into a per-document PDF.

  Parameters: $edition-context (common.xsl), $doc-key (a key unique in the volume, for labels).
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:f="urn:x-tei-edition:functions"
  xmlns:ty="urn:x-tei-edition:typst"
  xmlns:ln="urn:x-tei-edition:line"
  exclude-result-prefixes="#all">

  <xsl:import href="../lib/common.xsl"/>
  <xsl:import href="typst.xsl"/>
  <xsl:import href="text.xsl"/>
  <xsl:import href="header.xsl"/>
  <xsl:import href="collection.xsl"/>
  <xsl:include href="msdesc.xsl"/>
  <xsl:include href="facsimile.xsl"/>

  <xsl:output method="text" encoding="UTF-8"/>

  <xsl:param name="doc-key" as="xs:string" select="'doc'"/>
  <xsl:param name="default-lang" as="xs:string" select="'en'"/>

  <xsl:template match="/">
    <xsl:apply-templates select="*" mode="ty:document"/>
  </xsl:template>

  <!-- A TEI document (also teiCorpus members and plain TEI-less roots: their content prints). -->
  <xsl:template match="*" mode="ty:document">
    <xsl:variable name="doc" select="f:document(.)"/>
    <xsl:variable name="header" select="tei:teiHeader"/>
    <!-- the title element (the names in it go to the index) -->
    <xsl:variable name="title-el" select="f:title-element($header)"/>
    <!-- the model's title and date label (toolkit/tei/facts.py; the context's document), as the
         HTML and every listing show them, never recomputed here -->
    <xsl:variable name="title" select="($doc/@title[normalize-space()], $doc-key)[1]"/>
    <xsl:variable name="date" select="string($doc/date)"/>
    <xsl:variable name="lang" select="(for $l in (tei:text/@xml:lang, @xml:lang,
                                       $header/tei:profileDesc/tei:langUsage/tei:language/@ident)
                                       return ty:lang($l))[. != ''][1]"/>
    <!-- its direction: the language's, else the first letter's (xslt/lib/script.xsl) -->
    <xsl:variable name="dir" select="if (exists($lang)) then f:lang-dir($lang) else f:text-dir(substring(string(tei:text[1]), 1, 4000))"/>
    <!-- the model's transcription status ([text] not_transcribed in edition.toml) -->
    <xsl:variable name="transcribed" select="not($doc/@transcribed = 'false')"/>
    <xsl:variable name="short" select="if (string-length($title) gt 70)
                                       then concat(replace(substring($title, 1, 68), '\s+\S*$', ''), ' …')
                                       else $title"/>
    <xsl:value-of select="concat(ty:mark(.), '#ed-document(key: ', ty:lit($doc-key),
                                 ', date: ', ty:lit($date), ', title: ', ty:lit($title),
                                 ', short: ', ty:lit($short),
                                 ', lang: ', ty:lit(($lang, ty:lang($default-lang), 'en')[. != ''][1]),
                                 if (exists($dir)) then ', dir: ' || $dir else '',
                                 ', transcribed: ', $transcribed, ')[&#10;')"/>
    <!-- index markers of the names in the title (the heading itself is plain text) -->
    <xsl:for-each select="$title-el//(tei:persName | tei:placeName | tei:orgName | tei:name | tei:rs)">
      <xsl:value-of select="ty:ix(.)"/>
    </xsl:for-each>
    <xsl:apply-templates select="$header" mode="ty:source-entry">
      <xsl:with-param name="date" select="$date" tunnel="yes"/>
    </xsl:apply-templates>
    <xsl:call-template name="ty:collection">
      <xsl:with-param name="doc" select="$doc"/>
    </xsl:call-template>
    <!-- one order for every document, as on the HTML page: the summary, the key to the hands'
         sigla, the text, then the source -->
    <xsl:apply-templates select="$header/tei:profileDesc/tei:abstract" mode="ty:summary">
      <xsl:with-param name="fn" select="'ed-summary-first'"/>
    </xsl:apply-templates>
    <xsl:apply-templates select="$header//tei:handDesc[tei:handNote]" mode="ty:hands"/>
    <xsl:text>&#10;</xsl:text>
    <xsl:choose>
      <xsl:when test="self::tei:TEI or tei:text">
        <xsl:apply-templates select="tei:text"/>
        <xsl:apply-templates select="f:transcriptions(.)"/>
      </xsl:when>
      <xsl:when test="self::tei:teiCorpus">
        <xsl:apply-templates select="tei:TEI/tei:text"/>
        <xsl:apply-templates select="f:transcriptions(.)"/>
      </xsl:when>
      <!-- a sourceDoc or a surface as the root: its transcription (pdf/sourcedoc.xsl) -->
      <xsl:when test="exists(f:transcriptions(.))">
        <xsl:apply-templates select="f:transcriptions(.)"/>
      </xsl:when>
      <xsl:otherwise>
        <!-- not TEI at all: print whatever it contains -->
        <xsl:apply-templates select="node()"/>
      </xsl:otherwise>
    </xsl:choose>
    <xsl:call-template name="ty:facsimile-plates"/>
    <xsl:text>&#10;#ed-after[</xsl:text>
    <xsl:apply-templates select="$header/tei:fileDesc/tei:sourceDesc" mode="ty:msdesc"/>
    <xsl:apply-templates select="$header" mode="ty:source-line"/>
    <xsl:text>]&#10;]&#10;</xsl:text>
  </xsl:template>
</xsl:stylesheet>
